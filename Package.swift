// swift-tools-version: 6.0
// Baton: a Swift workflow engine for agency text work.
// No package dependencies: Foundation, Dispatch, XCTest/Swift Testing, and the system
// libraries libyaml (pkg-config yaml-0.1) and libsqlite3.
import PackageDescription
import Foundation

/// The runtime's kernels need AVX2/FMA/F16C: Swift's default x86-64 target has none of them and
/// its SIMD code then runs 10-100x slower. `BATON_TARGET_CPU` overrides the choice (e.g. `haswell`
/// for a portable build); the default `native` tunes for the machine that builds.
let targetCPU = ProcessInfo.processInfo.environment["BATON_TARGET_CPU"] ?? "native"
#if arch(x86_64)
let cpuFlags: [String] = ["-target-cpu", targetCPU]
#else
let cpuFlags: [String] = []
#endif

/// AVX-VNNI's `vpdpbusd` replaces two instructions per block of the integer dot products
/// (`Runtime/Kernels/ByteDot.swift`). Used when building for this machine (`native`) and its
/// /proc/cpuinfo lists `avx_vnni` or `avx512_vnni` with `avx512vl`; `BATON_VNNI=0` or `1`
/// overrides the detection (1 requires a target CPU that has it).
let vnni: Bool = {
    if let forced = ProcessInfo.processInfo.environment["BATON_VNNI"] { return forced == "1" }
    guard targetCPU == "native", let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return flags.contains("avx_vnni") || (flags.contains("avx512_vnni") && flags.contains("avx512vl"))
}()

/// Hot modules are optimized even in debug builds so that the model tests stay fast.
let hotSettings: [SwiftSetting] = [
    .unsafeFlags(cpuFlags),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

/// The runtime calls a few x86 SIMD instructions through LLVM intrinsics (`Builtin`), which
/// LLVM does not form from Swift's SIMD arithmetic on its own.
let runtimeSettings: [SwiftSetting] = hotSettings + [.enableExperimentalFeature("BuiltinModule")]
    + (vnni ? [.define("BATON_VNNI")] : [])

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["BatonCLI"]),
        .executable(name: "baton-bench", targets: ["BatonBench"]),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "Base"),
        .target(name: "YAML", dependencies: ["Base", "CYAML"]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "Template", dependencies: ["Base"]),
        .target(name: "Cron", dependencies: ["Base"]),
        .target(name: "Documents", dependencies: ["Base"], swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Workflow", dependencies: ["Base", "YAML", "Template", "Cron", "Documents"]),
        .target(name: "Runtime", dependencies: ["Base", "Template"], swiftSettings: runtimeSettings),
        .target(name: "Training", dependencies: ["Base", "Runtime"], swiftSettings: hotSettings),
        .target(name: "Audit", dependencies: ["Base", "SQLite"]),
        .target(name: "Retrieval", dependencies: ["Base", "Runtime", "SQLite", "Documents"], swiftSettings: hotSettings),
        .target(name: "Providers", dependencies: ["Base", "Workflow", "Template", "Audit", "Runtime"]),
        .target(name: "Engine", dependencies: ["Base", "Workflow", "Template", "Audit", "Runtime", "Retrieval", "Cron", "Providers", "Documents"]),
        .target(name: "Scheduler", dependencies: ["Engine", "Workflow", "Template", "Audit", "Cron"]),
        .target(name: "CommandKit", dependencies: ["Base"]),
        .target(name: "HTTPServer"),
        .target(name: "Console", dependencies: ["Base", "HTTPServer", "Engine", "Workflow", "Template", "Audit"]),
        .executableTarget(name: "BatonCLI", dependencies: ["Base", "CommandKit", "Console", "Training", "HTTPServer", "Engine", "Providers", "Scheduler", "Workflow", "Template", "Audit", "Runtime", "Retrieval", "Cron", "Documents"]),
        .executableTarget(name: "BatonBench", dependencies: ["Base", "CommandKit", "Console", "HTTPServer", "Engine", "Providers", "Workflow", "Template", "Audit", "Runtime", "Training", "Retrieval", "SQLite", "Documents"]),

        .target(name: "TestSupport", dependencies: ["Base"], path: "Tests/TestSupport"),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Base"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite", "TestSupport"]),
        .testTarget(name: "TemplateTests", dependencies: ["Template", "Base", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CronTests", dependencies: ["Cron"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "Base"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Base", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: hotSettings),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Runtime", "Base", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: hotSettings),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "Base", "SQLite", "TestSupport"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EngineTests", dependencies: ["Base", "Engine", "Providers", "Scheduler", "Workflow", "Template", "Audit", "SQLite", "TestSupport"], exclude: ["Server/fake_openai.py", "Server/realistic_model.py"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Base"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "Base", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["BatonCLI", "BatonBench", "Base", "CommandKit", "Audit", "HTTPServer", "TestSupport"], exclude: ["Server/range_server.py", "Browser/console_journey.py"]),
    ]
)
