/// A decoded object stream (`/Type /ObjStm`): `N` pairs of object number and offset, then the
/// objects themselves from `/First` on (ISO 32000-1 7.5.7).
struct PDFObjectStream {
    let data: [UInt8]
    let first: Int
    let entries: [(number: Int, offset: Int)]
    /// Where the stream's data starts in the file (for error messages).
    let fileOffset: Int

    init(stream: PDFStream, data: [UInt8], file: PDFFile) throws(PDFError) {
        guard let count = try file.value(stream.dictionary, "N")?.integer, count >= 0,
              let first = try file.value(stream.dictionary, "First")?.integer, first >= 0, first <= data.count else {
            throw PDFError(at: stream.offset, "an object stream without a valid /N and /First")
        }
        guard count <= data.count / 2 + 1 else {
            throw PDFError(at: stream.offset, "an object stream claims \(count) objects in \(data.count) bytes")
        }
        var entries: [(Int, Int)] = []
        entries.reserveCapacity(count)
        let parsed: Result<[(Int, Int)], PDFError> = data.withUnsafeBytes { buffer in
            var parser = PDFParser(buffer, errorBase: stream.offset, readsReferences: false)
            for _ in 0..<count {
                do throws(PDFError) {
                    guard case .object(.integer(let number)) = try parser.nextToken(),
                          case .object(.integer(let offset)) = try parser.nextToken() else { break }
                    entries.append((number, offset))
                } catch { return .failure(error) }
            }
            return .success(entries)
        }
        self.entries = try parsed.get()
        self.data = data
        self.first = first
        self.fileOffset = stream.offset
    }

    /// The object numbered `number`, expected as the `index`-th.
    func object(_ number: Int, index: Int) throws(PDFError) -> PDFObject {
        var entry = index >= 0 && index < entries.count && entries[index].number == number ? entries[index] : nil
        if entry == nil { entry = entries.first { $0.number == number } }
        guard let entry else { return .null }
        let start = first + entry.offset
        guard entry.offset >= 0, start < data.count else {
            throw PDFError(at: fileOffset, "object \(number) lies outside its object stream")
        }
        let result: Result<PDFObject, PDFError> = data.withUnsafeBytes { buffer in
            var parser = PDFParser(buffer, at: start, errorBase: fileOffset)
            do throws(PDFError) { return .success(try parser.parseObject()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
