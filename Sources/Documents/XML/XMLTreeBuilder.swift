/// Builds the element tree of one part from `XMLPullParser`'s events, checking that tags nest and
/// that the nesting stays under a depth limit (a hostile file cannot exhaust the stack of a
/// recursive reader).
enum XMLTreeBuilder {
    /// The deepest element nesting accepted: far beyond what Word, PowerPoint, Excel or Hangul
    /// write (text boxes inside tables inside text boxes stay under 60).
    static let maximumDepth = 256

    /// The root element of `bytes` (the content of `entry` in `file`).
    static func parse(_ bytes: [UInt8], file: String, entry: String) throws(DocumentError) -> XMLElement {
        var parser = XMLPullParser(bytes)
        var stack: [XMLElement] = []
        var root: XMLElement?
        func fail(_ offset: Int, _ message: String) -> DocumentError {
            DocumentError(file: file, .entry(entry, byteOffset: offset), message)
        }
        while true {
            let event: XMLPullParser.Event?
            do { event = try parser.next() } catch { throw fail(error.offset, error.message) }
            guard let event else { break }
            switch event {
            case .start(let name, let attributes, let selfClosing, let offset):
                guard root == nil else { throw fail(offset, "content after the root element") }
                let element = XMLElement(name: name, attributes: attributes, offset: offset)
                if selfClosing {
                    if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(.element(element)) }
                } else {
                    guard stack.count < maximumDepth else { throw fail(offset, "elements nest deeper than \(maximumDepth) levels") }
                    stack.append(element)
                }
            case .end(let name, let offset):
                guard let open = stack.popLast() else { throw fail(offset, "the end tag </\(name)> closes nothing") }
                guard open.name == name else { throw fail(offset, "the end tag </\(name)> closes <\(open.name)> (opened at byte \(open.offset))") }
                if stack.isEmpty { root = open } else { stack[stack.count - 1].children.append(.element(open)) }
            case .text(let text):
                // White space between elements is layout, kept only inside text elements (`w:t`,
                // `a:t`, `hp:t`), where a lone space is content.
                guard let parent = stack.last else { continue }
                if parent.localName != "t", text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { continue }
                stack[stack.count - 1].children.append(.text(text))
            }
        }
        if let open = stack.last { throw fail(open.offset, "the part ends before <\(open.name)> is closed (truncated?)") }
        guard let root else { throw fail(0, "the part holds no XML element") }
        return root
    }
}
