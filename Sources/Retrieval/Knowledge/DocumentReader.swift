import Base
import Documents
import Foundation

/// A file's text and identity, read once and checked: not too large, not empty, not binary,
/// valid UTF-8 (a byte-order mark is dropped). Office, PDF and Hangul files are read by the
/// Documents module and keep its blocks (with their pages, slides and cells) for chunking.
struct DocumentContent {
    var text: String
    /// What `Documents` read, for the formats in `DocumentParser.documentExtensions`.
    var document: DocumentText? = nil
    var sha256: String
    var size: Int
    var modified: Double
}

enum DocumentReader {
    static func read(_ path: String) throws(RetrievalError) -> DocumentContent {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw RetrievalError("\(path): error: file disappeared during ingest; nothing stored")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        guard size <= KnowledgeBase.maximumFileBytes else {
            throw RetrievalError("\(path): error: file is \(size) bytes, more than the \(KnowledgeBase.maximumFileBytes >> 20) MB limit for one document")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if !FileManager.default.fileExists(atPath: path) {
                throw RetrievalError("\(path): error: file disappeared during ingest; nothing stored")
            }
            throw RetrievalError("\(path): error: cannot read the file")
        }
        var bytes = [UInt8](data)
        if DocumentParser.documentExtensions.contains((path as NSString).pathExtension.lowercased()) {
            let document: DocumentText
            do { document = try Documents.read(bytes, file: path) } catch { throw RetrievalError(error.description) }
            guard !document.plainText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RetrievalError("\(path): error: no text found (a scanned document needs OCR first)")
            }
            return DocumentContent(text: document.plainText, document: document, sha256: SHA256.hash(data).hex, size: size, modified: modified)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let zero = bytes.firstIndex(of: 0) {
            throw RetrievalError("\(path): error: binary file (NUL byte at offset \(zero)), not text")
        }
        // UTF-8, or CP949/EUC-KR as Korean Windows and Excel save text and CSV files.
        let text: String
        do { text = try TextDecoding.decode(bytes, file: path).text } catch { throw RetrievalError(error.description) }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RetrievalError("\(path): error: empty file")
        }
        return DocumentContent(text: text, sha256: SHA256.hash(data).hex, size: size, modified: modified)
    }
}
