import Foundation

/// A LoRA adapter in llama.cpp's GGUF adapter format (`general.type = adapter`,
/// `adapter.lora.alpha`, `<tensor>.lora_a` / `.lora_b`), held as F32 matrices.
///
/// Applied at run time as W·x + scale·B(A·x) with scale = user scale × alpha / rank, so one base
/// model serves any number of adapters (brand voices) without being rewritten or reloaded.
public final class LoRAAdapter: @unchecked Sendable {
    // @unchecked Sendable: immutable after init.
    /// One adapted matrix: A is rank × input (row-major), B is output × rank.
    struct Pair {
        var a: [Float]
        var b: [Float]
        var rank: Int
        var input: Int
        var output: Int
    }

    public let path: String
    public let alpha: Float
    /// `training.data_sha256` of an adapter `baton train lora` wrote: the SHA-256 of the data
    /// file it learned from, so an output made with it can be traced to its examples.
    public let trainingDataSHA256: String?
    /// `training.base_sha256`: the SHA-256 of the model file it was trained on.
    public let trainingBaseSHA256: String?
    let pairs: [String: Pair]

    /// The names of the adapted base tensors.
    public var targets: [String] { pairs.keys.sorted() }

    /// Reads `path` and checks it against `base`: same architecture, every target a tensor of the
    /// base with matching shape. Errors name the adapter file.
    public init(path: String, base: GGUFFile) throws(RuntimeError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw RuntimeError(file: path, message: "not a readable GGUF adapter: \(error)") }
        guard file.string("general.type") == "adapter", file.string("adapter.type").map({ $0 == "lora" }) ?? true else {
            throw RuntimeError(file: path, message: "not a LoRA adapter (general.type is '\(file.string("general.type") ?? "missing")', expected 'adapter')")
        }
        let architecture = file.string("general.architecture") ?? "missing"
        let baseArchitecture = base.string("general.architecture") ?? "missing"
        guard architecture == baseArchitecture else {
            throw RuntimeError(file: path, message: "the adapter is for architecture '\(architecture)', the model \(base.path) is '\(baseArchitecture)'")
        }
        var pairs: [String: Pair] = [:]
        for tensor in file.tensors where tensor.name.hasSuffix(".lora_a") {
            let target = String(tensor.name.dropLast(".lora_a".count))
            guard let bInfo = file.tensor(named: target + ".lora_b") else {
                throw RuntimeError(file: path, message: "\(tensor.name) has no matching \(target).lora_b")
            }
            guard let weight = base.tensor(named: target) else {
                throw RuntimeError(file: path, message: "the adapter changes '\(target)', which the model \(base.path) does not have")
            }
            guard tensor.shape.count == 2, bInfo.shape.count == 2, weight.shape.count == 2,
                  tensor.shape[0] == weight.shape[0], bInfo.shape[1] == weight.shape[1], tensor.shape[1] == bInfo.shape[0] else {
                throw RuntimeError(file: path, message: "the adapter's '\(target)' has shapes lora_a \(tensor.shape), lora_b \(bInfo.shape), which do not fit the model's \(weight.shape)")
            }
            let a = try LoRAAdapter.floats(file, tensor, path: path)
            let b = try LoRAAdapter.floats(file, bInfo, path: path)
            pairs[target] = Pair(a: a, b: b, rank: tensor.shape[1], input: tensor.shape[0], output: weight.shape[1])
        }
        guard !pairs.isEmpty else { throw RuntimeError(file: path, message: "the adapter has no .lora_a/.lora_b tensors") }
        self.path = path
        self.alpha = file.float("adapter.lora.alpha") ?? 0
        trainingDataSHA256 = file.string("training.data_sha256")
        trainingBaseSHA256 = file.string("training.base_sha256")
        self.pairs = pairs
    }

    private static func floats(_ file: GGUFFile, _ info: GGUFTensorInfo, path: String) throws(RuntimeError) -> [Float] {
        let count = info.shape.reduce(1, *)
        let raw = file.data(for: info)
        switch info.type {
        case .f32:
            return Array(raw.bindMemory(to: Float.self).prefix(count))
        case .f16:
            return raw.bindMemory(to: UInt16.self).prefix(count).map { Float(Float16(bitPattern: $0)) }
        default:
            throw RuntimeError(file: path, message: "\(info.name) is \(info.type), adapters must be F32 or F16")
        }
    }

    /// The scale a user scale becomes: scale × alpha / rank (llama.cpp; alpha 0 means rank).
    func effectiveScale(_ scale: Float, rank: Int) -> Float {
        alpha == 0 ? scale : scale * alpha / Float(rank)
    }
}

/// An adapter with the user scale it is applied with.
public struct ScaledLoRA: Sendable {
    public var adapter: LoRAAdapter
    public var scale: Float

    public init(_ adapter: LoRAAdapter, scale: Float = 1) {
        self.adapter = adapter
        self.scale = scale
    }
}

extension Array where Element == ScaledLoRA {
    /// Adds every adapter's scale·B(A·x) for `target` to `output` (`tokens` rows of `outputStride`
    /// floats), from `input` (`tokens` rows of `inputStride` floats).
    func apply(_ target: String, input: UnsafePointer<Float>, inputStride: Int, output: UnsafeMutablePointer<Float>, outputStride: Int, tokens: Int) {
        for entry in self {
            guard let pair = entry.adapter.pairs[target] else { continue }
            let scale = entry.adapter.effectiveScale(entry.scale, rank: pair.rank)
            var hidden = [Float](repeating: 0, count: pair.rank)
            pair.a.withUnsafeBufferPointer { a in
                pair.b.withUnsafeBufferPointer { b in
                    for t in 0..<tokens {
                        let x = input + t * inputStride, y = output + t * outputStride
                        for r in 0..<pair.rank {
                            var sum: Float = 0
                            let row = r * pair.input
                            for i in 0..<pair.input { sum += a[row + i] * x[i] }
                            hidden[r] = sum
                        }
                        for j in 0..<pair.output {
                            var sum: Float = 0
                            let row = j * pair.rank
                            for r in 0..<pair.rank { sum += b[row + r] * hidden[r] }
                            y[j] += scale * sum
                        }
                    }
                }
            }
        }
    }
}
