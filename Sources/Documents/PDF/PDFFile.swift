/// A PDF file's objects: the cross-reference information, the trailer, and object lookup with a
/// cache (ISO 32000-1 7.5).
///
/// Lookup is cycle-safe: an object whose resolution needs itself (a `/Length` that refers to its own
/// stream, an object stream holding itself, `1 0 R` pointing at `2 0 R` pointing back) is an error
/// naming the object, never a loop. Every decoded byte counts against the document's budget, so a
/// small file cannot inflate without bound.
final class PDFFile {
    /// Where an object lives.
    enum Location: Equatable {
        case offset(Int, generation: Int)
        case compressed(stream: Int, index: Int)
        /// A free entry: the object was deleted, so references to it are null (ISO 32000-1 7.5.4).
        case free
    }

    let bytes: UnsafeRawBufferPointer
    let limits: DocumentLimits
    var xref: [Int: Location] = [:]
    var trailer = PDFDictionary()
    var security: PDFSecurity?
    /// Whether the xref information was rebuilt by scanning the file (it was missing or damaged).
    var reconstructed = false

    private var cache: [Int: PDFObject] = [:]
    private var resolving: Set<Int> = []
    private var objectStreams: [Int: PDFObjectStream] = [:]
    private var decodedBytes = 0

    init(bytes: UnsafeRawBufferPointer, limits: DocumentLimits) throws(PDFError) {
        self.bytes = bytes
        self.limits = limits
        guard Self.headerOffset(bytes) != nil else {
            throw PDFError(at: 0, "not a PDF file (no %PDF- header in its first 1024 bytes)")
        }
        do throws(PDFError) {
            try readCrossReferences()
            guard trailer["Root"]?.reference != nil else { throw PDFError("the trailer has no /Root") }
            _ = try catalog()
        } catch {
            // A damaged or missing xref is common (bad uploads, byte flips): find the objects by
            // scanning, as every viewer does, and only fail when that finds no document either.
            xref = [:]
            cache = [:]
            objectStreams = [:]
            trailer = PDFDictionary()
            try reconstruct(after: error)
        }
        if let encrypt = trailer["Encrypt"] {
            let dictionary = try resolve(encrypt).dictionary ?? PDFDictionary()
            security = try PDFSecurity(dictionary: dictionary, fileID: fileID())
            // Objects read before the key existed (the catalog) were not decrypted.
            cache = [:]
        }
    }

    static func headerOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let limit = min(bytes.count, 1024)
        guard limit >= 5 else { return nil }
        for index in 0...(limit - 5) where bytes[index] == 0x25 && bytes[index + 1] == 0x50 && bytes[index + 2] == 0x44
            && bytes[index + 3] == 0x46 && bytes[index + 4] == 0x2D {
            return index
        }
        return nil
    }

    private func fileID() -> [UInt8] {
        trailer["ID"]?.array?.first?.string ?? []
    }

    /// The document catalog.
    func catalog() throws(PDFError) -> PDFDictionary {
        guard let root = trailer["Root"], let dictionary = try resolve(root).dictionary else {
            throw PDFError("the document catalog (/Root) is missing or not a dictionary")
        }
        return dictionary
    }

    /// `object` itself, or the object a reference (chain) leads to; a missing object is null, as
    /// the specification says.
    func resolve(_ object: PDFObject) throws(PDFError) -> PDFObject {
        var current = object
        var hops = 0
        while case .reference(let reference) = current {
            hops += 1
            if hops > 32 { throw PDFError("\(reference) is part of a chain of references that does not end") }
            current = try self.object(reference)
        }
        return current
    }

    /// A dictionary entry, resolved.
    func value(_ dictionary: PDFDictionary, _ key: String) throws(PDFError) -> PDFObject? {
        guard let entry = dictionary[key] else { return nil }
        let resolved = try resolve(entry)
        return resolved == .null ? nil : resolved
    }

    /// The object with this number (the generation is not checked: damaged files get it wrong).
    func object(_ reference: PDFReference) throws(PDFError) -> PDFObject {
        let number = reference.number
        if let cached = cache[number] { return cached }
        guard let location = xref[number] else { return .null }
        guard !resolving.contains(number) else {
            throw PDFError("\(reference) refers to itself (a cycle of references)")
        }
        resolving.insert(number)
        defer { resolving.remove(number) }
        let object: PDFObject
        switch location {
        case .offset(let offset, let generation):
            object = try objectAt(offset, number: number, generation: generation)
        case .compressed(let stream, let index):
            object = try compressedObject(number, stream: stream, index: index)
        case .free:
            object = .null
        }
        cache[number] = object
        return object
    }

    /// Reads `N G obj ... endobj` at `offset`.
    func objectAt(_ offset: Int, number: Int, generation: Int) throws(PDFError) -> PDFObject {
        guard offset >= 0, offset < bytes.count else {
            throw PDFError(at: offset, "object \(number) lies at byte \(offset), outside the file")
        }
        var parser = PDFParser(bytes, at: offset)
        guard case .object(.integer(let found)) = try parser.nextToken(),
              case .object(.integer(let foundGeneration)) = try parser.nextToken(),
              case .keyword("obj") = try parser.nextToken() else {
            throw PDFError(at: offset, "expected 'object \(number) \(generation) obj' here")
        }
        guard found == number else {
            throw PDFError(at: offset, "the cross-reference table sends object \(number) here, but object \(found) is here")
        }
        var object = try parser.parseObject()
        let afterObject = parser.position
        if case .dictionary(let dictionary) = object, case .keyword("stream") = try parser.nextToken() {
            object = .stream(try streamAfterKeyword(parser.position, dictionary: dictionary,
                                                    owner: PDFReference(number: number, generation: foundGeneration)))
        } else {
            parser.position = afterObject
        }
        if let security {
            object = security.decryptStrings(in: object, reference: PDFReference(number: number, generation: foundGeneration))
        }
        return object
    }

    /// The stream whose `stream` keyword ends at `keywordEnd`: its data starts after the end of
    /// line and is `/Length` long, unless that length does not end at `endstream`, in which case
    /// the data runs to the next `endstream` (a lying length is common and harmless to fix).
    func streamAfterKeyword(_ keywordEnd: Int, dictionary: PDFDictionary, owner: PDFReference) throws(PDFError) -> PDFStream {
        var start = keywordEnd
        if start < bytes.count, bytes[start] == 0x0D { start += 1 }
        if start < bytes.count, bytes[start] == 0x0A { start += 1 }
        var declared: Int?
        if let lengthObject = dictionary["Length"] {
            // A /Length that needs this stream's own object is a cycle: ignore it and search.
            declared = (try? resolve(lengthObject))?.integer
        }
        if let declared, declared >= 0, start + declared <= bytes.count, endsStream(at: start + declared) {
            return PDFStream(dictionary: dictionary, offset: start, length: declared, owner: owner)
        }
        guard let end = findEndstream(from: start) else {
            throw PDFError(at: start, "the stream of \(owner) has no 'endstream' (its /Length is \(declared.map(String.init) ?? "missing") and the file ends first)")
        }
        var length = end - start
        if length > 0, bytes[start + length - 1] == 0x0A { length -= 1 }
        if length > 0, bytes[start + length - 1] == 0x0D { length -= 1 }
        return PDFStream(dictionary: dictionary, offset: start, length: length, owner: owner)
    }

    private func endsStream(at offset: Int) -> Bool {
        var parser = PDFParser(bytes, at: offset)
        parser.skipWhitespace()
        return parser.matches("endstream", at: parser.position) || parser.matches("endobj", at: parser.position)
    }

    private func findEndstream(from start: Int) -> Int? {
        let word: [UInt8] = Array("endstream".utf8)
        var index = start
        let last = bytes.count - word.count
        while index <= last {
            if bytes[index] == 0x65 {  // 'e'
                var match = true
                for k in 1..<word.count where bytes[index + k] != word[k] { match = false; break }
                if match { return index }
            }
            index += 1
        }
        return nil
    }

    /// The raw (still filtered, still encrypted) bytes of a stream.
    func rawData(_ stream: PDFStream) -> [UInt8] {
        let end = min(bytes.count, stream.offset + stream.length)
        guard stream.offset < end else { return [] }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[stream.offset..<end]))
    }

    /// A stream's data with encryption and filters undone; counted against the document budget.
    func decodedData(_ stream: PDFStream) throws(PDFError) -> [UInt8] {
        var data = rawData(stream)
        if let security, let owner = stream.owner, stream.dictionary.name("Type") != "XRef" {
            data = try security.decrypt(data, reference: owner, offset: stream.offset)
        }
        let filters = try filterNames(stream.dictionary)
        let parameters = try filterParameters(stream.dictionary, count: filters.count)
        let remaining = max(0, limits.maximumTotalBytes - decodedBytes)
        let limit = min(limits.maximumEntryBytes, remaining)
        do throws(PDFError) {
            data = try PDFFilters.decode(data, filters: filters, parameters: parameters, limit: limit)
        } catch {
            let owner = stream.owner.map { " of \($0)" } ?? ""
            throw PDFError(at: stream.offset, "the stream\(owner): \(error.message)")
        }
        decodedBytes += data.count
        return data
    }

    private func filterNames(_ dictionary: PDFDictionary) throws(PDFError) -> [String] {
        guard let filter = try value(dictionary, "Filter") else { return [] }
        if let name = filter.name { return [name] }
        if let items = filter.array {
            var names: [String] = []
            for item in items {
                guard let name = try resolve(item).name else { throw PDFError("a /Filter array holds something that is not a name") }
                names.append(name)
            }
            return names
        }
        throw PDFError("/Filter is neither a name nor an array")
    }

    private func filterParameters(_ dictionary: PDFDictionary, count: Int) throws(PDFError) -> [PDFDictionary?] {
        var found = try value(dictionary, "DecodeParms")
        if found == nil { found = try value(dictionary, "DP") }
        guard let parameters = found else {
            return Array(repeating: nil, count: count)
        }
        if let single = parameters.dictionary { return [single] + Array(repeating: nil, count: max(0, count - 1)) }
        var result: [PDFDictionary?] = []
        for item in parameters.array ?? [] { result.append(try resolve(item).dictionary) }
        while result.count < count { result.append(nil) }
        return result
    }

    /// Object `index` of object stream `stream` (ISO 32000-1 7.5.7).
    private func compressedObject(_ number: Int, stream streamNumber: Int, index: Int) throws(PDFError) -> PDFObject {
        let container: PDFObjectStream
        if let cached = objectStreams[streamNumber] {
            container = cached
        } else {
            guard case .stream(let stream) = try object(PDFReference(number: streamNumber, generation: 0)) else {
                throw PDFError("object \(number) is said to lie in object stream \(streamNumber), which is not a stream")
            }
            container = try PDFObjectStream(stream: stream, data: decodedData(stream), file: self)
            objectStreams[streamNumber] = container
        }
        return try container.object(number, index: index)
    }
}
