/// The standard security handler (ISO 32000-1 7.6.3) for documents that open with an empty user
/// password: revisions 2-4, RC4 (40-128 bit) and AES-128 (`AESV2`) crypt filters.
///
/// Such files are "encrypted" only to carry permissions; every viewer opens them without asking,
/// so Baton reads them too. A document that needs a password, or a handler Baton does not know,
/// is refused with a clear error.
struct PDFSecurity {
    enum Cipher: Equatable { case rc4, aes128, identity }

    let key: [UInt8]
    let streamCipher: Cipher
    let stringCipher: Cipher

    /// The padding of ISO 32000-1 Algorithm 2.
    static let padding: [UInt8] = [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ]

    init(dictionary: PDFDictionary, fileID: [UInt8]) throws(PDFError) {
        let filter = dictionary.name("Filter") ?? "?"
        guard filter == "Standard" else {
            throw PDFError("the document is encrypted with the '\(filter)' security handler, which Baton cannot open")
        }
        let version = dictionary["V"]?.integer ?? 0
        let revision = dictionary["R"]?.integer ?? 0
        guard (2...4).contains(revision), (1...4).contains(version) else {
            throw PDFError("the document is encrypted with revision \(revision) of the standard security handler (AES-256 or newer), which Baton cannot open")
        }
        guard let owner = dictionary["O"]?.string, owner.count >= 32, let user = dictionary["U"]?.string, user.count >= 32,
              let permissions = dictionary["P"]?.integer else {
            throw PDFError("the /Encrypt dictionary lacks a valid /O, /U or /P")
        }
        var stream = Cipher.rc4, string = Cipher.rc4
        var keyLength = revision == 2 ? 5 : max(5, min(16, (dictionary["Length"]?.integer ?? 40) / 8))
        if version == 4 {
            let filters = dictionary["CF"]?.dictionary
            func cipher(_ name: String?) -> Cipher {
                guard let name, name != "Identity" else { return .identity }
                let method = filters?[name]?.dictionary?.name("CFM")
                return method == "AESV2" ? .aes128 : method == "None" ? .identity : .rc4
            }
            stream = cipher(dictionary.name("StmF"))
            string = cipher(dictionary.name("StrF"))
            keyLength = 16
            if let method = filters?.entries.values.compactMap({ $0.dictionary?.name("CFM") }).first, method == "AESV3" {
                throw PDFError("the document is encrypted with AES-256, which Baton cannot open")
            }
        }
        let encryptMetadata: Bool
        if case .bool(let value)? = dictionary["EncryptMetadata"] { encryptMetadata = value } else { encryptMetadata = true }

        // Algorithm 2: the key from the (empty) user password.
        var input = Self.padding
        input += owner.prefix(32)
        let p = UInt32(bitPattern: Int32(truncatingIfNeeded: permissions))
        input += [UInt8(p & 0xFF), UInt8(p >> 8 & 0xFF), UInt8(p >> 16 & 0xFF), UInt8(p >> 24)]
        input += fileID
        if revision >= 4 && !encryptMetadata { input += [0xFF, 0xFF, 0xFF, 0xFF] }
        var hash = MD5.digest(input)
        if revision >= 3 {
            for _ in 0..<50 { hash = MD5.digest(Array(hash.prefix(keyLength))) }
        }
        let key = Array(hash.prefix(keyLength))

        // Algorithms 4/5: the empty password is right if /U is what it would produce.
        let expected: [UInt8]
        if revision == 2 {
            expected = RC4.apply(key: key, Self.padding)
            guard Array(user.prefix(32)) == expected else { throw Self.passwordRequired }
        } else {
            var value = RC4.apply(key: key, MD5.digest(Self.padding + fileID))
            for round in 1...19 { value = RC4.apply(key: key.map { $0 ^ UInt8(round) }, value) }
            guard Array(user.prefix(16)) == value else { throw Self.passwordRequired }
        }
        self.key = key
        self.streamCipher = stream
        self.stringCipher = string
    }

    static let passwordRequired = PDFError("the document is encrypted and needs a password to open; Baton reads only PDFs that open without one")

    /// The key for one object (Algorithm 1).
    func objectKey(_ reference: PDFReference, aes: Bool) -> [UInt8] {
        var input = key
        input += [UInt8(reference.number & 0xFF), UInt8(reference.number >> 8 & 0xFF), UInt8(reference.number >> 16 & 0xFF),
                  UInt8(reference.generation & 0xFF), UInt8(reference.generation >> 8 & 0xFF)]
        if aes { input += [0x73, 0x41, 0x6C, 0x54] }  // "sAlT"
        return Array(MD5.digest(input).prefix(min(key.count + 5, 16)))
    }

    func decrypt(_ data: [UInt8], reference: PDFReference, offset: Int) throws(PDFError) -> [UInt8] {
        try apply(streamCipher, data, reference: reference, offset: offset)
    }

    private func apply(_ cipher: Cipher, _ data: [UInt8], reference: PDFReference, offset: Int?) throws(PDFError) -> [UInt8] {
        switch cipher {
        case .identity: return data
        case .rc4: return RC4.apply(key: objectKey(reference, aes: false), data)
        case .aes128:
            guard let plain = AES128.decryptCBC(key: objectKey(reference, aes: true), data) else {
                throw PDFError(at: offset, "\(reference) does not decrypt (AES data not a whole number of blocks, or bad padding)")
            }
            return plain
        }
    }

    /// Every string inside `object` decrypted (streams' data is decrypted when decoded).
    func decryptStrings(in object: PDFObject, reference: PDFReference) -> PDFObject {
        switch object {
        case .string(let bytes): return .string((try? apply(stringCipher, bytes, reference: reference, offset: nil)) ?? bytes)
        case .array(let items): return .array(items.map { decryptStrings(in: $0, reference: reference) })
        case .dictionary(let dictionary): return .dictionary(decrypt(dictionary, reference: reference))
        case .stream(var stream):
            stream.dictionary = decrypt(stream.dictionary, reference: reference)
            return .stream(stream)
        default: return object
        }
    }

    private func decrypt(_ dictionary: PDFDictionary, reference: PDFReference) -> PDFDictionary {
        var copy = dictionary
        for (key, value) in dictionary.entries { copy[key] = decryptStrings(in: value, reference: reference) }
        return copy
    }
}
