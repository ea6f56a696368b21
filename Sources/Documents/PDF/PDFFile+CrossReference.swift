/// Reading the cross-reference sections: classic tables and xref streams, hybrid files, and
/// incremental updates chained by `/Prev` (ISO 32000-1 7.5.4-7.5.8); and rebuilding them by
/// scanning when they are damaged.
extension PDFFile {
    /// The most sections an update chain may have (a loop is caught before this, by offset).
    static let maximumSections = 4096

    func readCrossReferences() throws(PDFError) {
        var next: Int? = try startXref()
        var visited: Set<Int> = []
        var first = true
        while let offset = next {
            guard !visited.contains(offset) else {
                throw PDFError(at: offset, "the cross-reference sections form a loop (/Prev leads back to byte \(offset))")
            }
            guard visited.count < Self.maximumSections else { throw PDFError(at: offset, "more than \(Self.maximumSections) cross-reference sections") }
            visited.insert(offset)
            let sectionTrailer = try readSection(at: offset)
            // Newer sections come first and win; an older trailer fills in only what is missing.
            for (key, value) in sectionTrailer.entries where trailer[key] == nil || (first && key != "Prev") {
                trailer[key] = value
            }
            if let stream = sectionTrailer["XRefStm"]?.integer, !visited.contains(stream) {
                visited.insert(stream)
                _ = try? readSection(at: stream)
            }
            first = false
            next = sectionTrailer["Prev"]?.integer
        }
    }

    /// The offset after the last `startxref`.
    private func startXref() throws(PDFError) -> Int {
        let word = Array("startxref".utf8)
        let lowest = max(0, bytes.count - 4096)
        var index = bytes.count - word.count
        while index >= lowest {
            if bytes[index] == 0x73 {
                var match = true
                for k in 1..<word.count where bytes[index + k] != word[k] { match = false; break }
                if match {
                    var parser = PDFParser(bytes, at: index + word.count)
                    guard case .object(.integer(let offset)) = try parser.nextToken(), offset >= 0, offset < bytes.count else {
                        throw PDFError(at: index, "'startxref' is not followed by a byte offset inside the file")
                    }
                    return offset
                }
            }
            index -= 1
        }
        throw PDFError(at: bytes.count, "no 'startxref' near the end of the file (truncated?)")
    }

    /// Reads the section at `offset` into `xref` (without overriding newer entries) and returns its trailer.
    private func readSection(at offset: Int) throws(PDFError) -> PDFDictionary {
        var parser = PDFParser(bytes, at: offset)
        parser.skipWhitespace()
        if parser.matches("xref", at: parser.position) {
            parser.position += 4
            return try readTable(&parser)
        }
        guard case .object(.integer(let number)) = try parser.nextToken(),
              case .object(.integer(let generation)) = try parser.nextToken(),
              case .keyword("obj") = try parser.nextToken() else {
            throw PDFError(at: offset, "startxref or /Prev points at byte \(offset), where there is neither 'xref' nor an xref stream")
        }
        let object = try objectAt(offset, number: number, generation: generation)
        guard case .stream(let stream) = object, stream.dictionary.name("Type") == "XRef" else {
            throw PDFError(at: offset, "object \(number) at byte \(offset) is not an xref stream")
        }
        try readXrefStream(stream)
        return stream.dictionary
    }

    /// A classic table: subsections `first count`, then 20-byte entries `offset generation n|f`.
    private func readTable(_ parser: inout PDFParser) throws(PDFError) -> PDFDictionary {
        while true {
            let at = parser.position
            let token = try parser.nextToken()
            if case .keyword("trailer") = token {
                guard case .dictionary(let dictionary) = try parser.parseObject() else {
                    throw PDFError(at: parser.position, "'trailer' is not followed by a dictionary")
                }
                return dictionary
            }
            guard case .object(.integer(let start)) = token, start >= 0,
                  case .object(.integer(let count)) = try parser.nextToken(), count >= 0 else {
                throw PDFError(at: at, "expected a cross-reference subsection ('first count') or 'trailer'")
            }
            guard count <= (bytes.count - parser.position) / 18 + 1 else {
                throw PDFError(at: at, "a cross-reference subsection claims \(count) entries, more than the file can hold")
            }
            for index in 0..<count {
                let entryAt = parser.position
                guard case .object(.integer(let offset)) = try parser.nextToken(),
                      case .object(.integer(let generation)) = try parser.nextToken(),
                      case .keyword(let kind) = try parser.nextToken(), kind == "n" || kind == "f" else {
                    throw PDFError(at: entryAt, "a damaged cross-reference entry (object \(start + index))")
                }
                let number = start + index
                if xref[number] == nil, kind == "n", offset > 0 {
                    xref[number] = .offset(offset, generation: generation)
                } else if xref[number] == nil, kind == "f" {
                    xref[number] = .free  // an explicit null, never an offset to read
                }
            }
        }
    }

    /// An xref stream: `/W` field widths, `/Index` ranges, rows of type 0 (free), 1 (offset),
    /// 2 (in an object stream).
    private func readXrefStream(_ stream: PDFStream) throws(PDFError) {
        let data = try decodedData(stream)
        guard let widths = stream.dictionary["W"]?.array?.compactMap(\.integer), widths.count >= 3,
              widths.allSatisfy({ $0 >= 0 && $0 <= 8 }) else {
            throw PDFError(at: stream.offset, "an xref stream without a valid /W")
        }
        let size = stream.dictionary["Size"]?.integer ?? 0
        var ranges: [(Int, Int)] = []
        if let index = stream.dictionary["Index"]?.array?.compactMap(\.integer) {
            var k = 0
            while k + 1 < index.count { ranges.append((index[k], index[k + 1])); k += 2 }
        } else {
            ranges = [(0, size)]
        }
        let rowWidth = widths[0] + widths[1] + widths[2]
        guard rowWidth > 0 else { throw PDFError(at: stream.offset, "an xref stream with rows of zero bytes") }
        var position = 0
        func field(_ width: Int, default value: Int) -> Int {
            guard width > 0 else { return value }
            var result = 0
            for _ in 0..<width {
                result = result << 8 | Int(data[position])
                position += 1
            }
            return result
        }
        for (start, count) in ranges {
            guard start >= 0, count >= 0 else { throw PDFError(at: stream.offset, "an xref stream /Index with a negative number") }
            for index in 0..<count {
                guard position + rowWidth <= data.count else { return }  // short data: keep what is there
                let type = field(widths[0], default: 1)
                let second = field(widths[1], default: 0)
                let third = field(widths[2], default: 0)
                let number = start + index
                guard xref[number] == nil else { continue }
                switch type {
                case 0: xref[number] = .free
                case 1: xref[number] = .offset(second, generation: third)
                case 2: xref[number] = .compressed(stream: second, index: third)
                default: break  // reserved types are null references
                }
            }
        }
    }

    /// Rebuilds the xref by scanning for `N G obj` and finds the trailer (the last `trailer`
    /// dictionary or xref stream with a /Root, or else the catalog object).
    func reconstruct(after original: PDFError) throws(PDFError) {
        reconstructed = true
        var index = 0
        let count = bytes.count
        var xrefStreams: [Int] = []
        var trailers: [Int] = []
        while index + 3 <= count {
            let byte = bytes[index]
            if byte == 0x6F, index + 3 <= count, bytes[index + 1] == 0x62, bytes[index + 2] == 0x6A,
               index + 3 == count || !PDFParser.isRegular(bytes[index + 3]) {
                if let (number, generation, start) = objectHeader(endingBefore: index) {
                    xref[number] = .offset(start, generation: generation)
                    xrefStreams.append(start)
                }
            } else if byte == 0x74, bytes[index...].starts(with: "trailer".utf8) {
                trailers.append(index + 7)
            }
            index += 1
        }
        for at in trailers.reversed() {
            var parser = PDFParser(bytes, at: at)
            if case .dictionary(let dictionary)? = try? parser.parseObject(), dictionary["Root"] != nil {
                trailer = dictionary
                break
            }
        }
        if trailer["Root"] == nil {
            // Xref streams carry the trailer keys; a catalog object is the last resort.
            for (number, location) in xref.sorted(by: { $0.key > $1.key }) {
                guard case .offset(let offset, let generation) = location,
                      let object = try? objectAt(offset, number: number, generation: generation),
                      let dictionary = object.dictionary else { continue }
                if dictionary.name("Type") == "XRef", dictionary["Root"] != nil {
                    trailer = dictionary
                    break
                }
                if dictionary.name("Type") == "Catalog" {
                    trailer["Root"] = .reference(PDFReference(number: number, generation: generation))
                    break
                }
            }
            // Object streams hold objects too: add the ones the scan saw inside them.
        }
        // Objects inside object streams are found through the xref streams the scan located.
        for (number, location) in xref {
            guard case .offset(let offset, let generation) = location,
                  let object = try? objectAt(offset, number: number, generation: generation),
                  case .stream(let stream) = object, stream.dictionary.name("Type") == "ObjStm",
                  let container = try? PDFObjectStream(stream: stream, data: decodedData(stream), file: self) else { continue }
            for (k, entry) in container.entries.enumerated() where xref[entry.number] == nil {
                xref[entry.number] = .compressed(stream: number, index: k)
            }
        }
        _ = xrefStreams
        guard trailer["Root"] != nil, (try? catalog()) != nil else {
            throw PDFError(at: original.offset, "\(original.message); scanning the file for objects found no document catalog either")
        }
    }

    /// For `obj` at `index`: the `N G ` before it, if there is one, and where it starts.
    private func objectHeader(endingBefore index: Int) -> (Int, Int, Int)? {
        var position = index - 1
        func skipSpace() { while position >= 0, PDFParser.isWhitespace(bytes[position]) { position -= 1 } }
        func readInteger() -> (Int, Int)? {
            let end = position
            while position >= 0, bytes[position] >= 0x30, bytes[position] <= 0x39, end - position < 10 { position -= 1 }
            guard position < end else { return nil }
            var value = 0
            for k in (position + 1)...end { value = value * 10 + Int(bytes[k] - 0x30) }
            return (value, position + 1)
        }
        skipSpace()
        guard let (generation, _) = readInteger(), position >= 0, PDFParser.isWhitespace(bytes[position]) else { return nil }
        skipSpace()
        guard let (number, start) = readInteger() else { return nil }
        guard position < 0 || !PDFParser.isRegular(bytes[position]) || bytes[position] == 0x6A else { return nil }
        return (number, generation, start)
    }
}
