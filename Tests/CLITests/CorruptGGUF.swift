import Base
import Foundation
import TestSupport

/// Makes damaged copies of a GGUF file from a seed and runs `baton` on them (see
/// `CorruptGGUFCLITests`). The classes follow issue 18's attack: metadata values, tensor types,
/// tensor data, header bytes, truncation.
enum CorruptGGUF {
    enum Outcome: Equatable { case exited(Int32), signal(Int32), hang, failedToStart }

    /// Where the fields of a GGUF file are: each metadata value (offset, type, key) and each
    /// tensor's type field, and where the data section starts.
    struct Layout {
        var values: [(key: String, type: UInt32, offset: Int)] = []
        var tensorTypes: [Int] = []
        var dataStart = 0
    }

    /// Walks a valid GGUF file (the reference models are valid).
    static func layout(_ b: [UInt8]) throws -> Layout {
        var p = 8
        func u32() -> UInt32 { defer { p += 4 }; return (0..<4).reduce(0) { $0 | UInt32(b[p + $1]) << (8 * $1) } }
        func u64() -> UInt64 { defer { p += 8 }; return (0..<8).reduce(0) { $0 | UInt64(b[p + $1]) << (8 * $1) } }
        func string() -> String { let n = Int(u64()); defer { p += n }; return String(decoding: b[p..<p + n], as: UTF8.self) }
        func skip(_ type: UInt32) {
            switch type {
            case 0, 1, 7: p += 1
            case 2, 3: p += 2
            case 4, 5, 6: p += 4
            case 10, 11, 12: p += 8
            case 8: _ = string()
            default:
                let element = u32(), count = Int(u64())
                for _ in 0..<count { skip(element) }
            }
        }
        let tensors = Int(u64()), entries = Int(u64())
        var layout = Layout()
        var alignment = 32
        for _ in 0..<entries {
            let key = string(), type = u32()
            layout.values.append((key, type, p))
            if key == "general.alignment" { alignment = Int(u32()); p -= 4 }
            skip(type)
        }
        for _ in 0..<tensors {
            _ = string()
            let dimensions = Int(u32())
            p += 8 * dimensions
            layout.tensorTypes.append(p)
            p += 12
        }
        layout.dataStart = (p + alignment - 1) / alignment * alignment
        return layout
    }

    /// `count` damaged copies of `bytes`, the same for the same seed.
    static func mutants(of bytes: [UInt8], count: Int, seed: UInt64) throws -> [[UInt8]] {
        var random = SeededGenerator(seed: seed)
        let layout = try layout(bytes)
        var result: [[UInt8]] = []
        func put32(_ copy: inout [UInt8], _ offset: Int, _ value: UInt32) {
            for k in 0..<4 { copy[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
        }
        // Metadata floats: NaN, −1, −∞, ∞, 0, the smallest denormal, a huge value.
        let floats: [Float] = [.nan, -1, -.infinity, .infinity, 0, .leastNonzeroMagnitude, 1e38]
        for value in layout.values where value.type == 6 {
            for f in floats { var copy = bytes; put32(&copy, value.offset, f.bitPattern); result.append(copy) }
        }
        // Sizes and token ids: 0, 1, −1 as u32, 2^31 − 1, an odd small number.
        let ints: [UInt32] = [0, 1, 0xFFFF_FFFF, 0x7FFF_FFFF, 3]
        for value in layout.values where value.type == 4 || value.type == 5 {
            for v in ints { var copy = bytes; put32(&copy, value.offset, v); result.append(copy) }
        }
        // Tensor types swapped for another (supported or not).
        let types: [UInt32] = [0, 1, 2, 3, 6, 7, 8, 10, 11, 12, 13, 14, 20, 30, 99]
        for _ in 0..<16 {
            var copy = bytes
            let at = layout.tensorTypes[Int(random.next() % UInt64(layout.tensorTypes.count))]
            put32(&copy, at, types[Int(random.next() % UInt64(types.count))])
            result.append(copy)
        }
        // Tensor data overwritten with NaN, ∞ or 0xFF bytes at random places.
        let patterns: [UInt32] = [Float.nan.bitPattern, Float.infinity.bitPattern, 0xFFFF_FFFF, 0x7C00_7C00]
        for _ in 0..<12 where bytes.count > layout.dataStart + 8 {
            var copy = bytes
            for _ in 0..<1 + Int(random.next() % 8) {
                let at = layout.dataStart + Int(random.next() % UInt64(bytes.count - layout.dataStart - 4))
                put32(&copy, at, patterns[Int(random.next() % UInt64(patterns.count))])
            }
            result.append(copy)
        }
        // Truncations.
        for _ in 0..<5 { result.append(Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))) }
        // Header bytes flipped, as many as it takes to reach `count`.
        while result.count < count {
            var copy = bytes
            for _ in 0..<1 + Int(random.next() % 4) {
                let at = Int(random.next() % UInt64(layout.dataStart))
                copy[at] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
            }
            result.append(copy)
        }
        return Array(result.prefix(count))
    }

    /// Runs `baton arguments` with output discarded; `.hang` after `timeout` seconds (killed).
    static func run(_ arguments: [String], timeout: Double) -> Outcome {
        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try Spawn.run(process) } catch { return .failedToStart }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return .hang
            }
            usleep(2000)
        }
        return process.terminationReason == .uncaughtSignal ? .signal(process.terminationStatus) : .exited(process.terminationStatus)
    }
}
