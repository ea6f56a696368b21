/// Load-time checks of a decoder's metadata and small tensors, so that a corrupt or hostile file
/// is refused with the key it got wrong instead of producing NaN (or a trap) in the forward pass.
///
/// What is checked, and why:
/// - every `<arch>.*` key the runtime reads has the type it reads it as (a float stored as a
///   string would otherwise fall back to the default without a word);
/// - epsilons, RoPE bases and RoPE scales are finite and positive (an epsilon of −1 or NaN makes
///   RMSNorm divide by the square root of a negative number);
/// - layer, width, head, window and context sizes are positive and below limits far above any
///   published model, so no product of them overflows and no buffer is absurd;
/// - the f32 vectors (norm weights, biases, `rope_freqs`) are finite, `rope_freqs` positive.
/// The weight matrices are not scanned (that would read the whole file at load); a NaN in them
/// is caught after the layer it reaches (`FiniteCheck`).
extension ModelConfiguration {
    /// Upper bounds on the sizes a file may declare.
    static let limits: [(key: String, maximum: Int)] = [
        ("block_count", 4096), ("embedding_length", 1 << 17), ("feed_forward_length", 1 << 20),
        ("attention.head_count", 4096), ("attention.head_count_kv", 4096), ("attention.key_length", 1 << 16),
        ("attention.value_length", 1 << 16), ("rope.dimension_count", 1 << 16), ("context_length", 1 << 27),
        ("attention.sliding_window", 1 << 27),
    ]

    /// Float keys that must be finite and positive when present.
    static let positiveFloats = [
        "attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon", "rope.freq_base", "rope.freq_base_swa",
        "rope.scale_linear", "rope.scaling.factor", "rope.scaling.attn_factor",
    ]

    /// Throws a `RuntimeError` naming the first `<arch>.*` size or float key that is wrong; run
    /// before anything is sized by them (per-layer tables).
    static func validateMetadata(file: GGUFFile, architecture: Architecture) throws(RuntimeError) {
        let prefix = architecture.rawValue + "."
        func fail(_ message: String) -> RuntimeError { RuntimeError(file: file.path, message: message) }
        for (key, maximum) in Self.limits {
            guard let value = file.metadata[prefix + key] else { continue }
            guard let number = value.intValue else {
                throw fail("metadata '\(prefix + key)' must be an integer, found \(value.typeName)")
            }
            guard number > 0, number <= maximum else {
                throw fail("metadata '\(prefix + key)' is \(number), expected 1...\(maximum)")
            }
        }
        for key in Self.positiveFloats {
            guard let value = file.metadata[prefix + key] else { continue }
            guard let number = value.floatValue else {
                throw fail("metadata '\(prefix + key)' must be a float, found \(value.typeName)")
            }
            guard number.isFinite, number > 0 else {
                throw fail("metadata '\(prefix + key)' is \(number), expected a finite number above 0")
            }
        }
    }

    /// Throws a `RuntimeError` naming the first key or tensor that is wrong (see the type's notes).
    func validate(file: GGUFFile) throws(RuntimeError) {
        let prefix = architecture.rawValue + "."
        func fail(_ message: String) -> RuntimeError { RuntimeError(file: file.path, message: message) }
        guard kvHeads <= heads else {
            throw fail("metadata '\(prefix)attention.head_count_kv' is \(kvHeads), more than the \(heads) query heads")
        }
        guard headSize <= 1 << 16, ropeDimensions > 0 else {
            throw fail("invalid head size \(headSize) or rope dimensions \(ropeDimensions)")
        }
        if let valueLength = file.int(prefix + "attention.value_length"), valueLength != headSize {
            throw fail("metadata '\(prefix)attention.value_length' is \(valueLength), but Baton needs it equal to the key length \(headSize)")
        }
        guard vocabularySize > 0, vocabularySize <= 1 << 24 else {
            throw fail("tensor 'token_embd.weight' gives a vocabulary of \(vocabularySize) tokens, expected 1...\(1 << 24)")
        }
        for tensor in file.tensors where tensor.type == .f32 && tensor.shape.count == 1 {
            let bytes = file.data(for: tensor)
            for index in 0..<bytes.count / 4 {
                let value = bytes.loadUnaligned(fromByteOffset: 4 * index, as: Float.self)
                guard value.isFinite else {
                    throw fail("tensor '\(tensor.name)' holds \(value) at index \(index); the file may be corrupt")
                }
                if tensor.name == "rope_freqs.weight", value <= 0 {
                    throw fail("tensor 'rope_freqs.weight' holds \(value) at index \(index), expected values above 0")
                }
            }
        }
    }
}
