/// One PDF object (ISO 32000-1 7.3), as the parser reads it from the file or a decoded stream.
///
/// Strings keep their bytes: their meaning depends on the font (content streams) or on PDFDocEncoding
/// / UTF-16 (text strings such as the title), which only the reader knows.
enum PDFObject: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case real(Double)
    case string([UInt8])
    case name(String)
    case array([PDFObject])
    case dictionary(PDFDictionary)
    case reference(PDFReference)
    case stream(PDFStream)

    var integer: Int? {
        switch self {
        case .integer(let value): return value
        case .real(let value) where value.isFinite && abs(value) < 1e15: return Int(value)
        default: return nil
        }
    }

    var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    var name: String? { if case .name(let name) = self { return name } else { return nil } }
    var array: [PDFObject]? { if case .array(let items) = self { return items } else { return nil } }
    var string: [UInt8]? { if case .string(let bytes) = self { return bytes } else { return nil } }
    var reference: PDFReference? { if case .reference(let ref) = self { return ref } else { return nil } }

    /// The dictionary of a dictionary or of a stream.
    var dictionary: PDFDictionary? {
        switch self {
        case .dictionary(let dictionary): return dictionary
        case .stream(let stream): return stream.dictionary
        default: return nil
        }
    }
}

/// An indirect reference `N G R`.
struct PDFReference: Sendable, Hashable, CustomStringConvertible {
    var number: Int
    var generation: Int
    var description: String { "object \(number) \(generation)" }
}

/// A PDF dictionary: name keys (without the slash) to objects.
struct PDFDictionary: Sendable, Equatable {
    var entries: [String: PDFObject]

    init(_ entries: [String: PDFObject] = [:]) { self.entries = entries }

    subscript(key: String) -> PDFObject? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// `/Type` (or another name-valued key), if it is a name.
    func name(_ key: String) -> String? { entries[key]?.name }
}

/// A stream: its dictionary and where its (still encoded) data lies. Streams of the file point into
/// the file's bytes; the bytes themselves are read only when the stream is decoded.
struct PDFStream: Sendable, Equatable {
    var dictionary: PDFDictionary
    /// Byte offset of the data in the file.
    var offset: Int
    /// Length of the data in bytes (after the `/Length` check).
    var length: Int
    /// The object the stream is (for decryption keys and error messages).
    var owner: PDFReference?
}
