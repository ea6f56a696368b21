import Foundation
import Testing

/// Documentation/Architecture.md's module table is the map contributors read; Package.swift is
/// what the compiler enforces. This suite fails when the two disagree, so an edge added for a
/// helper (or a module added without a row) shows up in review instead of drifting.
@Suite struct ArchitectureTableTests {
    /// Every product target of Package.swift (test targets and test support left out) and the
    /// targets it depends on, read from the manifest's text: one `.target(name:...)`,
    /// `.executableTarget(...)` or `.systemLibrary(...)` per line.
    static func packageGraph(_ manifest: String) -> [String: Set<String>] {
        var graph: [String: Set<String>] = [:]
        for line in manifest.split(separator: "\n").map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard [".target(name:", ".executableTarget(name:", ".systemLibrary(name:"].contains(where: { trimmed.hasPrefix($0) }),
                  !trimmed.contains("path: \"Tests/"), let name = quoted(in: trimmed).first else { continue }
            var dependencies: Set<String> = []
            if let open = trimmed.range(of: "dependencies: ["), let close = trimmed[open.upperBound...].firstIndex(of: "]") {
                dependencies = Set(quoted(in: String(trimmed[open.upperBound..<close])))
            }
            graph[name] = dependencies
        }
        return graph
    }

    /// The `| Module | Responsibility | Depends on |` table: module names in backticks in the
    /// first cell (one or more), dependencies as a comma-separated list in the last ("—": none).
    static func documentedGraph(_ markdown: String) -> [String: Set<String>] {
        var graph: [String: Set<String>] = [:]
        var inTable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("| Module | Responsibility | Depends on |") { inTable = true; continue }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, !cells[1].hasPrefix("---") else { continue }
            let dependencies = cells[cells.count - 2] == "—" ? [] : cells[cells.count - 2]
                .split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            for module in backticked(in: cells[1]) { graph[module] = Set(dependencies) }
        }
        return graph
    }

    static func quoted(in text: String) -> [String] {
        text.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    static func backticked(in text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test func architectureTableEqualsPackageSwift() throws {
        let manifest = try String(contentsOf: BatonProcess.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let markdown = try String(contentsOf: BatonProcess.repository.appendingPathComponent("Documentation/Architecture.md"), encoding: .utf8)
        let package = Self.packageGraph(manifest), documented = Self.documentedGraph(markdown)
        #expect(package.count >= 17, "Package.swift parsed into too few targets: \(package.keys.sorted())")
        for name in Set(package.keys).union(documented.keys).sorted() {
            let built = package[name], written = documented[name]
            #expect(built != nil, "Architecture.md documents '\(name)', which Package.swift does not build")
            #expect(written != nil, "Package.swift builds '\(name)', which Architecture.md's table does not list")
            guard let built, let written else { continue }
            #expect(written == built, """
                '\(name)': Architecture.md says it depends on \(written.sorted()), Package.swift on \(built.sorted()) \
                (missing from the table: \(built.subtracting(written).sorted()); not in Package.swift: \(written.subtracting(built).sorted()))
                """)
        }
    }

    /// The fuzz package (`Fuzz/Package.swift`) rebuilds some of the main modules from symbolic
    /// links to their sources; each must depend on exactly what it depends on in Package.swift,
    /// or the fuzzers build a graph that ships nowhere (it drifted once, after the type moves).
    /// The fuzz-only targets (under `Targets/`) are left out.
    static func fuzzDrift(fuzz: [String: Set<String>], package: [String: Set<String>]) -> [String] {
        fuzz.keys.sorted().compactMap { name in
            guard let built = package[name] else { return "Fuzz/Package.swift builds '\(name)', which Package.swift does not" }
            guard let fuzzed = fuzz[name], fuzzed != built else { return nil }
            return "'\(name)': Fuzz/Package.swift says it depends on \(fuzzed.sorted()), Package.swift on \(built.sorted())"
                + " (missing in Fuzz: \(built.subtracting(fuzzed).sorted()); not in Package.swift: \(fuzzed.subtracting(built).sorted()))"
        }
    }

    /// `packageGraph` of the fuzz manifest without its fuzz-only targets (`path: "Targets/...`).
    static func fuzzGraph(_ manifest: String) -> [String: Set<String>] {
        packageGraph(manifest.split(separator: "\n").filter { !$0.contains("path: \"Targets/") }.joined(separator: "\n"))
    }

    @Test func fuzzPackageFollowsPackageSwift() throws {
        let manifest = try String(contentsOf: BatonProcess.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let fuzzManifest = try String(contentsOf: BatonProcess.repository.appendingPathComponent("Fuzz/Package.swift"), encoding: .utf8)
        let fuzz = Self.fuzzGraph(fuzzManifest)
        #expect(fuzz.count >= 10, "Fuzz/Package.swift parsed into too few targets: \(fuzz.keys.sorted())")
        #expect(Self.fuzzDrift(fuzz: fuzz, package: Self.packageGraph(manifest)) == [])
    }

    @Test func aFuzzEdgeThatDriftedIsNamed() {
        let package: [String: Set<String>] = ["Base": [], "Template": ["Base"], "Runtime": ["Base", "Template"]]
        let fuzz = Self.fuzzGraph("""
                .target(name: "Base", swiftSettings: instrumented),
                .target(name: "Runtime", dependencies: ["Base"],
                        swiftSettings: instrumented),
                .target(name: "Extra", dependencies: ["Base"], swiftSettings: instrumented),
                .target(name: "FuzzDriver", path: "Targets/FuzzDriver"),
            """)
        #expect(fuzz == ["Base": [], "Runtime": ["Base"], "Extra": ["Base"]])
        #expect(Self.fuzzDrift(fuzz: fuzz, package: package) == [
            "Fuzz/Package.swift builds 'Extra', which Package.swift does not",
            "'Runtime': Fuzz/Package.swift says it depends on [\"Base\"], Package.swift on [\"Base\", \"Template\"]"
                + " (missing in Fuzz: [\"Template\"]; not in Package.swift: [])",
        ])
    }

    @Test func theParsersReadTheFormatsTheyCheck() {
        let manifest = """
                .target(name: "Base"),
                .target(name: "YAML", dependencies: ["Base", "CYAML"]),
                .target(name: "TestSupport", path: "Tests/TestSupport"),
                .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
            """
        #expect(Self.packageGraph(manifest) == ["Base": [], "YAML": ["Base", "CYAML"]])
        let markdown = """
            | Module | Responsibility | Depends on |
            |--------|----------------|------------|
            | `Base` | Shared values. | — |
            | `YAML` | libyaml → nodes (`Node`, `Mark`). | Base, CYAML |

            | Other | table |
            """
        #expect(Self.documentedGraph(markdown) == ["Base": [], "YAML": ["Base", "CYAML"]])
    }
}
