/// An XML element as the office readers use it: its qualified name, attributes in document order
/// and children (elements and text). Built once per part by `XMLTreeBuilder`; readers walk it.
public struct XMLElement: Sendable, Equatable {
    /// The qualified name as written (`w:p`).
    public var name: String
    /// The name without its namespace prefix (`p` for `w:p`): OOXML and OWPML files use several
    /// prefixes for one namespace, so readers match local names. Computed once, when parsed.
    public let localName: String
    public var attributes: [XMLAttribute]
    public var children: [XMLNode]
    /// Where the start tag begins in the part, for error messages.
    public var offset: Int

    public init(name: String, attributes: [XMLAttribute] = [], children: [XMLNode] = [], offset: Int = 0) {
        self.name = name
        self.localName = String(Self.local(name))
        self.attributes = attributes
        self.children = children
        self.offset = offset
    }

    static func local(_ name: String) -> Substring {
        // Through the UTF-8 view: searching Characters would run grapheme breaking on every name.
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name[...] }
        return name[name.utf8.index(after: colon)...]
    }

    /// The attribute with this qualified name (`r:id`) or, for a name without a prefix, the first
    /// whose local name matches (`val` finds `w:val`).
    public func attribute(_ name: String) -> String? {
        for attribute in attributes where attribute.name == name { return attribute.value }
        for attribute in attributes where attribute.localName == name { return attribute.value }
        return nil
    }

    /// The child elements.
    public var elements: [XMLElement] {
        children.compactMap { if case .element(let element) = $0 { return element } else { return nil } }
    }

    /// The first child element with this local name.
    public func child(_ local: String) -> XMLElement? {
        for case .element(let element) in children where element.localName == local { return element }
        return nil
    }

    /// The child elements with this local name.
    public func children(_ local: String) -> [XMLElement] {
        elements.filter { $0.localName == local }
    }

    /// Every descendant element with this local name, in document order (not looking inside matches).
    public func descendants(_ local: String) -> [XMLElement] {
        var found: [XMLElement] = []
        var stack: [XMLElement] = [self]
        var order: [XMLElement] = []
        while let element = stack.popLast() {
            order.append(element)
            for case .element(let child) in element.children.reversed() { stack.append(child) }
        }
        for element in order.dropFirst() where element.localName == local { found.append(element) }
        return found
    }

    /// All text inside the element, in document order.
    public var text: String {
        var out = ""
        func walk(_ element: XMLElement) {
            for child in element.children {
                switch child {
                case .text(let text): out += text
                case .element(let element): walk(element)
                }
            }
        }
        walk(self)
        return out
    }

}

/// One attribute: its qualified name, its local name (without the prefix; equal to the name
/// when it has none) and its decoded value.
public struct XMLAttribute: Sendable, Equatable {
    public var name: String
    public var localName: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.localName = String(XMLElement.local(name))
        self.value = value
    }
}

/// A child of an element.
public indirect enum XMLNode: Sendable, Equatable {
    case element(XMLElement)
    case text(String)
}
