/// A document that cannot be read, with the file and the place in it: a byte offset, a page, or a
/// container entry (and an offset inside it), so the user can tell a damaged file from a bug.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: Location?
    public var message: String

    public init(file: String, _ message: String) {
        self.init(file: file, nil, message)
    }

    public init(file: String, _ location: Location?, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// Where in the file the problem is.
    public enum Location: Sendable, Equatable, CustomStringConvertible {
        case byteOffset(Int)
        case page(Int)
        /// A container entry (`word/document.xml`), optionally with a byte offset inside it.
        case entry(String, byteOffset: Int? = nil)
        case position(DocumentPosition)

        public var description: String {
            switch self {
            case .byteOffset(let offset): return "byte \(offset)"
            case .page(let page): return "page \(page)"
            case .entry(let name, let offset): return offset.map { "\(name): byte \($0)" } ?? name
            case .position(let position): return position.description
            }
        }
    }

    /// `report.docx: word/document.xml: byte 120: error: ...`.
    public var description: String {
        if let location { return "\(file): \(location): error: \(message)" }
        return "\(file): error: \(message)"
    }
}
