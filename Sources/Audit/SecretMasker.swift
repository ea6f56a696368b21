/// Replaces secret values (API keys, inputs declared `secret: true`) with `***` in any text
/// before it is stored or shown.
///
/// The engine masks every prompt, output, error, parameter and input JSON with one masker per run.
/// Besides each raw value it masks the value as it appears inside a JSON string (quotes,
/// backslashes and control characters escaped, `/` optionally escaped as `\/`), so a secret
/// cannot slip through a JSON encoding. Matching is on UTF-8 bytes: exact, including Korean.
public struct SecretMasker: Sendable, Equatable {
    /// What a secret becomes.
    public static let mask = "***"

    /// Every byte pattern to replace, longest first (so a secret that contains another is masked whole).
    private let patterns: [[UInt8]]

    /// A masker for `secrets`; empty strings are ignored (they would match everywhere).
    public init(secrets: [String]) {
        var variants = Set<[UInt8]>()
        for secret in secrets where !secret.isEmpty {
            variants.insert(Array(secret.utf8))
            let escaped = JSONEscaping.escape(secret)
            variants.insert(Array(escaped.utf8))
            variants.insert(Array(JSONEscaping.escape(secret, escapingSlash: true).utf8))
        }
        patterns = variants.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// A masker that changes nothing.
    public static let none = SecretMasker(secrets: [])

    /// Whether there is nothing to mask.
    public var isEmpty: Bool { patterns.isEmpty }

    /// `text` with every secret replaced by `***`.
    public func mask(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        for pattern in patterns where bytes.count >= pattern.count {
            var result: [UInt8] = []
            var index = 0
            var found = false
            while index < bytes.count {
                if bytes[index] == pattern[0], index + pattern.count <= bytes.count,
                   bytes[index..<index + pattern.count].elementsEqual(pattern) {
                    result.append(contentsOf: SecretMasker.mask.utf8)
                    index += pattern.count
                    found = true
                } else {
                    result.append(bytes[index])
                    index += 1
                }
            }
            if found { bytes = result; changed = true }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// `text` masked, keeping `nil` as `nil`.
    public func mask(_ text: String?) -> String? { text.map { mask($0) } }
}
