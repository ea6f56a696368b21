/// Parses one YAML document into a `Node` tree over the system libyaml.
///
/// Baton reads exactly one document per file; the parser rejects what would make a workflow
/// ambiguous or dangerous (duplicate keys, a second document, alias bombs, absurd nesting) with
/// a compiler-style `YAMLError` that points at the offending line and column.
public enum YAMLParser {
    /// Deepest nesting of sequences and mappings accepted; deeper input is refused quickly.
    public static let maxDepth = 512
    /// Most nodes that aliases may add in total; a billion-laughs document stops here.
    public static let maxAliasNodes = 1_000_000

    /// Parses `text`; `file` is only used in diagnostics.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> Node {
        try parse(utf8: text.utf8, file: file)
    }

    /// Parses raw bytes as read from a file, so that invalid UTF-8 is reported with its byte
    /// offset and line:column instead of being replaced silently.
    public static func parse(_ bytes: some Collection<UInt8>, file: String) throws(YAMLError) -> Node {
        try parse(utf8: bytes, file: file)
    }

    private static func parse(utf8 bytes: some Collection<UInt8>, file: String) throws(YAMLError) -> Node {
        let reader = EventReader(bytes: bytes, file: file)
        var composer = Composer(maxDepth: maxDepth, maxAliasNodes: maxAliasNodes)
        return try composer.compose(reader)
    }
}
