/// The `FileHeader` stream of an HWP 5.0 document: the signature, the version and the property
/// flags that decide whether the rest can be read (compressed streams, a password, distribution
/// protection).
struct HWPFileHeader: Equatable {
    /// The version as Hangul writes it: 5.0.3.0 is `[5, 0, 3, 0]`.
    var version: [Int]
    var compressed: Bool
    var password: Bool
    /// A distribution document (배포용 문서): its body is encrypted in `ViewText`.
    var distribution: Bool
    /// DRM-protected (bit 4) or encrypted with a certificate (bit 8).
    var drm: Bool

    static let signature = Array("HWP Document File".utf8)

    init(_ bytes: [UInt8], file: String) throws(DocumentError) {
        guard bytes.count >= 40 else {
            throw DocumentError(file: file, .entry("FileHeader", byteOffset: bytes.count), "the FileHeader stream has \(bytes.count) bytes, fewer than the 40 it needs")
        }
        guard bytes.starts(with: Self.signature) else {
            throw DocumentError(file: file, .entry("FileHeader", byteOffset: 0), "the FileHeader does not start with 'HWP Document File'; is it an HWP 5 document?")
        }
        let word = UInt32(bytes[32]) | UInt32(bytes[33]) << 8 | UInt32(bytes[34]) << 16 | UInt32(bytes[35]) << 24
        version = [Int(word >> 24), Int(word >> 16 & 0xFF), Int(word >> 8 & 0xFF), Int(word & 0xFF)]
        let flags = UInt32(bytes[36]) | UInt32(bytes[37]) << 8 | UInt32(bytes[38]) << 16 | UInt32(bytes[39]) << 24
        compressed = flags & 1 != 0
        password = flags & 2 != 0
        distribution = flags & 4 != 0
        drm = flags & (1 << 4 | 1 << 8) != 0
        guard version[0] == 5 else {
            throw DocumentError(file: file, .entry("FileHeader", byteOffset: 32), "HWP version \(versionText) is not 5.x; only HWP 5 documents are read")
        }
    }

    var versionText: String { version.map(String.init).joined(separator: ".") }

    /// The error for a document whose text is locked, or nil when it can be read.
    func refusal(file: String) -> DocumentError? {
        if password {
            return DocumentError(file: file, .entry("FileHeader", byteOffset: 36), "the HWP document is password-protected; save a copy without the password in Hangul")
        }
        if distribution {
            return DocumentError(file: file, .entry("FileHeader", byteOffset: 36), "the HWP document is a distribution document (배포용 문서), whose text is encrypted; ask the sender for an editable copy")
        }
        if drm {
            return DocumentError(file: file, .entry("FileHeader", byteOffset: 36), "the HWP document is DRM-protected or certificate-encrypted, which Baton cannot read")
        }
        return nil
    }
}
