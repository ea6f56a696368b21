/// Chooses a writer by an output path's extension, so the engine's file writing needs one call
/// for every office format: `.docx` → `DOCXWriter`, `.hwpx` → `HWPXWriter`; nil for any other
/// path (written as text).
public enum DocumentWriters {
    public static func document(forPath path: String, fromMarkdown markdown: String) -> [UInt8]? {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".docx") { return DOCXWriter.document(fromMarkdown: markdown) }
        if lowered.hasSuffix(".hwpx") { return HWPXWriter.document(fromMarkdown: markdown) }
        return nil
    }
}
