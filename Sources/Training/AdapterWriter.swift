import Base
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes trained A/B matrices as a GGUF v3 file in llama.cpp's LoRA adapter format
/// (`convert_lora_to_gguf.py`): `general.type = adapter`, `adapter.type = lora`,
/// `adapter.lora.alpha`, and F32 tensors `<tensor>.lora_a` (ggml shape [in, rank]) and
/// `<tensor>.lora_b` ([rank, out]), so llama.cpp, Ollama and Baton's `LoRAAdapter` load it.
public struct AdapterWriter {
    /// A metadata value (the GGUF types Baton writes).
    public enum Value: Sendable, Equatable {
        case string(String), float(Float), uint(UInt32)
    }

    public var architecture: String
    /// Extra keys (base and data hashes, hyperparameters, losses), written after the required ones.
    public var metadata: [(String, Value)] = []

    public init(architecture: String, metadata: [(String, Value)] = []) {
        self.architecture = architecture
        self.metadata = metadata
    }

    static let alignment = 32

    /// Writes `parameters` to `path` through a temporary file renamed into place, so a failed
    /// write (a full disk) leaves any previous file intact.
    public func write(_ parameters: LoRAParameters, to path: String) throws(TrainingError) {
        try write(parameters, extra: [], to: path, what: "adapter")
    }

    /// An F32 tensor beside A and B (a checkpoint's AdamW moments); `shape` in ggml order.
    struct ExtraTensor {
        var name: String
        var shape: [Int]
        var buffer: Buffer
    }

    /// Writes A/B and `extra` tensors; `what` names the file in errors ("adapter", "checkpoint").
    /// The bytes go to `path.partial`, which is then renamed over `path` in one step (rename(2)).
    func write(_ parameters: LoRAParameters, extra: [ExtraTensor], to path: String, what: String) throws(TrainingError) {
        var out = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) { let bytes = Array(s.utf8); u64(UInt64(bytes.count)); out.append(contentsOf: bytes) }
        func pad() { while out.count % Self.alignment != 0 { out.append(0) } }
        let keys: [(String, Value)] = [("general.architecture", .string(architecture)), ("general.type", .string("adapter")),
                                      ("adapter.type", .string("lora")), ("adapter.lora.alpha", .float(parameters.alpha))] + metadata
        var tensors: [(name: String, shape: [Int], buffer: Buffer)] = []
        for m in parameters.matrices {
            tensors.append((m.tensor + ".lora_a", [m.input, parameters.rank], m.a))
            tensors.append((m.tensor + ".lora_b", [parameters.rank, m.output], m.b))
        }
        tensors += extra.map { ($0.name, $0.shape, $0.buffer) }
        out.append(contentsOf: Array("GGUF".utf8))
        u32(3)
        u64(UInt64(tensors.count))
        u64(UInt64(keys.count))
        for (key, value) in keys {
            string(key)
            switch value {
            case .string(let s): u32(8); string(s)
            case .float(let f): u32(6); u32(f.bitPattern)
            case .uint(let v): u32(4); u32(v)
            }
        }
        var offset = 0
        for tensor in tensors {
            string(tensor.name)
            u32(UInt32(tensor.shape.count))
            for dimension in tensor.shape { u64(UInt64(dimension)) }
            u32(0) // F32
            u64(UInt64(offset))
            offset += (tensor.buffer.count * 4 + Self.alignment - 1) / Self.alignment * Self.alignment
        }
        pad()
        for tensor in tensors {
            for i in 0..<tensor.buffer.count { u32(tensor.buffer.pointer[i].bitPattern) }
            pad()
        }
        let temporary = path + ".partial"
        do {
            try out.write(to: URL(fileURLWithPath: temporary))
        } catch {
            // A half-written file is removed (a full disk); anything else at that path is not ours.
            if (try? FileManager.default.attributesOfItem(atPath: temporary)[.type] as? FileAttributeType) == .typeRegular {
                try? FileManager.default.removeItem(atPath: temporary)
            }
            throw TrainingError(file: path, message: "cannot write the \(what) (\(temporary)): \(SystemErrorText.describe(error))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw TrainingError(file: path, message: "cannot move the \(what) into place: \(reason)")
        }
    }
}
