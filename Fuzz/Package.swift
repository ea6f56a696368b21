// swift-tools-version: 6.0
// Coverage-guided fuzz targets (libFuzzer + AddressSanitizer) for Baton's parsers. Not part of the
// main package, so `swift build` and `swift test` never build them: `Scripts/fuzz.sh TARGET SECONDS`
// builds this package with `-sanitize=fuzzer,address` and runs one target. `Sources/` holds
// symbolic links to the main package's modules, so every target fuzzes the code that ships.
import PackageDescription

#if arch(x86_64)
let cpuFlags: [String] = ["-target-cpu", "native"]
#else
let cpuFlags: [String] = []
#endif

// Every module is instrumented (coverage for libFuzzer, AddressSanitizer), not only the targets:
// otherwise libFuzzer sees no edges in the parsers and mutates blind.
let instrumented: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
let fuzz: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])]
let link: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
// The modules the main package optimizes even in debug builds (Documents, and the SIMD kernels of
// Runtime and Retrieval) are optimized here too: unoptimized SIMD code runs about 100x slower,
// which held FuzzBert's forward pass to 4 executions per second.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

func target(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies + ["FuzzDriver"], path: "Targets/\(name)", swiftSettings: fuzz, linkerSettings: link)
}

let package = Package(
    name: "BatonFuzz",
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1"),
        .target(name: "Base", swiftSettings: instrumented),
        .target(name: "YAML", dependencies: ["Base", "CYAML"], swiftSettings: instrumented),
        .target(name: "Template", dependencies: ["Base"], swiftSettings: instrumented),
        .target(name: "Cron", dependencies: ["Base"], swiftSettings: instrumented),
        .target(name: "Documents", dependencies: ["Base"], swiftSettings: instrumented + optimized),
        .target(name: "Workflow", dependencies: ["Base", "YAML", "Template", "Cron", "Documents"], swiftSettings: instrumented),
        // As in the main package (its SIMD kernels need the CPU flags and Builtin), without the
        // optional VNNI path.
        .target(name: "Runtime", dependencies: ["Base", "Template"],
                swiftSettings: instrumented + optimized + [.unsafeFlags(cpuFlags), .enableExperimentalFeature("BuiltinModule")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3"),
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: instrumented),
        .target(name: "Audit", dependencies: ["Base", "SQLite"], swiftSettings: instrumented),
        .target(name: "Retrieval", dependencies: ["Base", "Runtime", "SQLite", "Documents"],
                swiftSettings: instrumented + optimized + [.unsafeFlags(cpuFlags)]),
        .target(name: "Providers", dependencies: ["Base", "Workflow", "Template", "Audit", "Runtime"], swiftSettings: instrumented),
        .target(name: "HTTPServer", swiftSettings: instrumented),
        .target(name: "FuzzDriver", path: "Targets/FuzzDriver"),
        target("FuzzTemplate", ["Template"]),
        target("FuzzYAML", ["YAML"]),
        target("FuzzWorkflow", ["Workflow"]),
        target("FuzzCron", ["Cron"]),
        target("FuzzPDF", ["Documents"]),
        target("FuzzInflate", ["Documents"]),
        target("FuzzOffice", ["Documents"]),
        target("FuzzGGUF", ["Runtime"]),
        target("FuzzJSON", ["Runtime", "Template"]),
        target("FuzzSafetensors", ["Retrieval"]),
        target("FuzzSSE", ["Providers"]),
        target("FuzzHTTP", ["HTTPServer"]),
        target("FuzzBert", ["Retrieval"]),
        target("FuzzHWP", ["Documents"]),
    ]
)
