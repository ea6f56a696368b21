/// The page tree (ISO 32000-1 7.7.3): pages in order, with inherited resources, walked without
/// trusting `/Count` and without looping on a tree whose `/Kids` lead back up.
extension PDFFile {
    struct Page {
        var dictionary: PDFDictionary
        var resources: PDFDictionary?
    }

    static let maximumPages = 100_000

    func pages() throws(PDFError) -> [Page] {
        let catalog = try catalog()
        guard let root = catalog["Pages"] else { throw PDFError("the document catalog has no /Pages") }
        var pages: [Page] = []
        var visited: Set<Int> = []
        try collect(root, inherited: nil, depth: 0, visited: &visited, into: &pages)
        if pages.isEmpty { pages = try pagesByScanning() }
        return pages
    }

    /// The page objects in object-number order, for a catalog whose `/Pages` leads to no page
    /// (a damaged or miswritten tree): what pdfminer and most viewers fall back to.
    private func pagesByScanning() throws(PDFError) -> [Page] {
        var pages: [Page] = []
        for number in xref.keys.sorted() {
            guard case .dictionary(let dictionary)? = try? object(PDFReference(number: number, generation: 0)),
                  dictionary.name("Type") == "Page" else { continue }
            guard pages.count < Self.maximumPages else { throw PDFError("more than \(Self.maximumPages) pages") }
            pages.append(Page(dictionary: dictionary, resources: try value(dictionary, "Resources")?.dictionary))
        }
        return pages
    }

    private func collect(_ node: PDFObject, inherited: PDFDictionary?, depth: Int, visited: inout Set<Int>,
                         into pages: inout [Page]) throws(PDFError) {
        if let reference = node.reference {
            guard !visited.contains(reference.number) else {
                throw PDFError("the page tree refers back to \(reference) (a cycle)")
            }
            visited.insert(reference.number)
        }
        guard depth < 64 else { throw PDFError("the page tree is nested deeper than 64 levels") }
        guard let dictionary = try resolve(node).dictionary else { return }
        let resources = try value(dictionary, "Resources")?.dictionary ?? inherited
        let kids = try value(dictionary, "Kids")?.array
        if dictionary.name("Type") == "Pages" || (dictionary.name("Type") == nil && kids != nil) {
            for kid in kids ?? [] {
                try collect(kid, inherited: resources, depth: depth + 1, visited: &visited, into: &pages)
            }
        } else if dictionary.name("Type") == "Page" || (dictionary.name("Type") == nil && dictionary["Contents"] != nil) {
            guard pages.count < Self.maximumPages else { throw PDFError("more than \(Self.maximumPages) pages") }
            pages.append(Page(dictionary: dictionary, resources: resources))
        }
    }

    /// A page's content streams decoded and joined (a content array is one stream split up).
    func contents(of page: Page) throws(PDFError) -> [UInt8] {
        guard let contents = try value(page.dictionary, "Contents") else { return [] }
        var parts: [PDFObject] = []
        if case .array(let items) = contents {
            for item in items { parts.append(try resolve(item)) }
        } else {
            parts = [contents]
        }
        var data: [UInt8] = []
        for part in parts {
            guard case .stream(let stream) = part else { continue }
            data += try decodedData(stream)
            data.append(0x0A)
        }
        return data
    }

    /// The document's `/Info /Title`, decoded (UTF-16 with a byte-order mark, or PDFDocEncoding).
    func title() -> String? {
        guard let info = trailer["Info"], let dictionary = (try? resolve(info))?.dictionary,
              let bytes = (try? value(dictionary, "Title"))??.string else { return nil }
        let text = Self.textString(bytes).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    static func textString(_ bytes: [UInt8]) -> String {
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            var units: [UInt16] = []
            var k = 2
            while k + 1 < bytes.count { units.append(UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1])); k += 2 }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        // PDFDocEncoding agrees with Latin-1 where titles use it.
        return String(String.UnicodeScalarView(bytes.map { UnicodeScalar($0) }))
    }
}
