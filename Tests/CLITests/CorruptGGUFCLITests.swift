import Foundation
import Testing
import TestSupport

/// Issue 18's corrupted-model attack, regenerated: 630 damaged copies of six small reference
/// models (metadata floats set to NaN/−1/±∞/0, size and id fields set to 0, 1, −1 or absurd
/// values, tensor type ids swapped, NaN/∞/garbage written over tensor data, header bytes flipped,
/// truncations), each given to `baton model info` and `baton model generate`. Every run must end
/// with a result or a clean error: no signal (a Swift trap is SIGILL/SIGTRAP), no hang.
///
/// The files are made from a fixed seed into a temporary folder (`CorruptGGUF`), never committed.
@Suite("Corrupted GGUF files", .serialized)
struct CorruptGGUFCLITests {
    static let models = ["llama-f32-gqa2-ropefreqs", "qwen2-q8_0-gqa3", "llama-q4_k-gqa2", "qwen2-q6_k-gqa4",
                         "llama-q4_1-gqa3", "exaone-q8_0-gqa2"]

    static var referenceFolder: URL {
        BatonProcess.repository.appendingPathComponent("Tests/RuntimeTests/Fixtures/reference")
    }

    @Test("630 corrupted GGUF files: model info and model generate end in a result or a clean error, 0 signals, 0 hangs")
    func corruptedFilesNeverCrash() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-corrupt-gguf-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for (index, model) in Self.models.enumerated() {
            let bytes = try [UInt8](Data(contentsOf: Self.referenceFolder.appendingPathComponent(model + ".gguf")))
            for (n, mutant) in try CorruptGGUF.mutants(of: bytes, count: 105, seed: UInt64(1000 + index)).enumerated() {
                let path = folder.appendingPathComponent("\(model)-\(n).gguf").path
                try Data(mutant).write(to: URL(fileURLWithPath: path))
                files.append(path)
            }
        }
        #expect(files.count == 630)
        let paths = files
        let commands: [(String, [String])] = [
            ("info", ["model", "info"]),
            ("generate", ["model", "generate", "--prompt", "Hello 안녕", "--max-tokens", "3", "--temperature", "0", "--threads", "1"]),
        ]
        for (name, arguments) in commands {
            let outcomes = Outcomes()
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                for (i, path) in paths.enumerated() where i % 2 == worker {
                    let args = arguments.prefix(2) + [path] + arguments.dropFirst(2)
                    outcomes.add(CorruptGGUF.run(Array(args), timeout: 30), path: path)
                }
            }
            let counts = outcomes.counts
            print("corrupted GGUF, baton model \(name): \(counts.ok) results, \(counts.errors) clean errors, \(counts.signals) signals, \(counts.hangs) hangs, \(counts.other) other exit codes")
            #expect(counts.signals == 0 && counts.hangs == 0 && counts.other == 0, "\(name): \(outcomes.failures.prefix(10))")
            #expect(counts.ok + counts.errors == files.count)
        }
    }
}

/// Outcomes of the runs, counted across the two workers.
final class Outcomes: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var ok = 0, errors = 0, signals = 0, hangs = 0, other = 0
    private(set) var failures: [String] = []

    func add(_ outcome: CorruptGGUF.Outcome, path: String) {
        lock.lock(); defer { lock.unlock() }
        switch outcome {
        case .exited(0): ok += 1
        case .exited(1): errors += 1
        case .exited(let status): other += 1; failures.append("\(path): exit \(status)")
        case .signal(let signal): signals += 1; failures.append("\(path): signal \(signal)")
        case .hang: hangs += 1; failures.append("\(path): hang")
        case .failedToStart: other += 1; failures.append("\(path): did not start")
        }
    }

    var counts: (ok: Int, errors: Int, signals: Int, hangs: Int, other: Int) {
        lock.lock(); defer { lock.unlock() }
        return (ok, errors, signals, hangs, other)
    }
}
