/// What text needs of a font (ISO 32000-1 9.5-9.10): how a string's bytes split into character
/// codes, each code's Unicode text, and its advance width.
///
/// Simple fonts (Type1, TrueType, Type3) have one-byte codes and an encoding; composite (Type0)
/// fonts have a CMap (Identity-H/V in the Korean government PDFs made by Hancom and LibreOffice)
/// that turns codes into CIDs, and widths per CID. A ToUnicode CMap, when present, wins for text.
struct PDFFont {
    /// One character code of a shown string.
    struct Glyph {
        var code: UInt32
        var text: String
        /// Advance in text space units (glyph space / 1000 for all but Type3).
        var width: Double
        /// Whether the code is the single byte 32, to which word spacing (`Tw`) applies.
        var isWordSpace: Bool
    }

    var composite = false
    var toUnicode: PDFCMap?
    var encoding: PDFSimpleEncoding?
    var cmap = PDFCMap.identity
    var identityCMap = true
    var firstChar = 0
    var widths: [Double] = []
    var cidWidths: [Int: Double] = [:]
    var defaultWidth = 1000.0
    /// Type3 fonts scale glyph space by their FontMatrix; others by 1/1000.
    var widthScale = 0.001
    /// A width when the font gives none (the 14 standard fonts are not embedded with widths).
    var missingWidth = 500.0
    var vertical = false

    /// A font that shows nothing recognizable; used when a font resource is missing or damaged.
    static let fallback: PDFFont = {
        var font = PDFFont()
        font.encoding = PDFSimpleEncoding(base: "WinAnsiEncoding", differences: nil, symbolic: false)
        return font
    }()

    init() {}

    init(dictionary: PDFDictionary, file: PDFFile) throws(PDFError) {
        let subtype = dictionary.name("Subtype") ?? "Type1"
        if let toUnicode = try file.value(dictionary, "ToUnicode"), case .stream(let stream) = toUnicode {
            self.toUnicode = PDFCMap(parsing: try file.decodedData(stream))
        }
        if subtype == "Type0" {
            composite = true
            try loadComposite(dictionary, file: file)
            return
        }
        let descriptor = try file.value(dictionary, "FontDescriptor")?.dictionary
        var flags = 0
        if let descriptor { flags = try file.value(descriptor, "Flags")?.integer ?? 0 }
        let symbolic = flags & 4 != 0 && flags & 32 == 0
        var base: String?
        var differences: [PDFObject]?
        if let encodingObject = try file.value(dictionary, "Encoding") {
            if let name = encodingObject.name {
                base = name
            } else if let encodingDictionary = encodingObject.dictionary {
                base = encodingDictionary.name("BaseEncoding")
                differences = try file.value(encodingDictionary, "Differences")?.array
            }
        }
        if base == nil, subtype == "TrueType", !symbolic { base = "WinAnsiEncoding" }
        encoding = PDFSimpleEncoding(base: base, differences: differences, symbolic: symbolic)
        firstChar = try file.value(dictionary, "FirstChar")?.integer ?? 0
        widths = try (file.value(dictionary, "Widths")?.array ?? []).map { (try? file.resolve($0))?.number ?? 0 }
        var missing = 0.0
        if let descriptor { missing = try file.value(descriptor, "MissingWidth")?.number ?? 0 }
        if missing > 0 { missingWidth = missing }
        else if widths.isEmpty { missingWidth = Self.standardWidth(dictionary.name("BaseFont") ?? "") }
        if subtype == "Type3", let matrix = try file.value(dictionary, "FontMatrix")?.array?.compactMap(\.number), matrix.count == 6 {
            widthScale = matrix[0]
        }
    }

    /// An average advance for the standard 14 fonts, which PDFs may use without /Widths.
    private static func standardWidth(_ name: String) -> Double {
        if name.contains("Courier") { return 600 }
        if name.contains("Times") { return 480 }
        return 540
    }

    private mutating func loadComposite(_ dictionary: PDFDictionary, file: PDFFile) throws(PDFError) {
        if let encodingObject = try file.value(dictionary, "Encoding") {
            if let name = encodingObject.name {
                vertical = name.hasSuffix("-V")
                identityCMap = name == "Identity-H" || name == "Identity-V"
                if !identityCMap {
                    // A predefined CMap (UniKS-UCS2-H, KSCms-UHC-H...): its code lengths are what
                    // text needs; the UCS2 ones map codes straight to Unicode.
                    cmap = Self.predefined(name)
                }
            } else if case .stream(let stream) = encodingObject {
                cmap = PDFCMap(parsing: try file.decodedData(stream))
                identityCMap = false
                if cmap.codeSpaces.isEmpty { cmap.codeSpaces = PDFCMap.identity.codeSpaces }
            }
        }
        guard let descendants = try file.value(dictionary, "DescendantFonts")?.array, let first = descendants.first,
              let descendant = try file.resolve(first).dictionary else { return }
        defaultWidth = try file.value(descendant, "DW")?.number ?? 1000
        guard let w = try file.value(descendant, "W")?.array else { return }
        // /W: `c [w1 w2 ...]` or `c_first c_last w`.
        var k = 0
        var total = 0
        while k < w.count, total < PDFCMap.maximumEntries {
            guard let start = (try? file.resolve(w[k]))?.integer else { break }
            if k + 1 < w.count, case .array(let list) = (try? file.resolve(w[k + 1])) ?? .null {
                for (offset, item) in list.enumerated() { cidWidths[start + offset] = (try? file.resolve(item))?.number ?? defaultWidth }
                total += list.count
                k += 2
            } else if k + 2 < w.count, let end = (try? file.resolve(w[k + 1]))?.integer, let width = (try? file.resolve(w[k + 2]))?.number {
                if end >= start, end - start < 65_536 {
                    for cid in start...end { cidWidths[cid] = width }
                    total += end - start + 1
                }
                k += 3
            } else {
                break
            }
        }
    }

    /// Code-space ranges of the predefined CMaps Korean documents use.
    private static func predefined(_ name: String) -> PDFCMap {
        var map = PDFCMap()
        if name.hasPrefix("KSC-") || name.hasPrefix("KSCms-UHC") || name.hasPrefix("KSCpc") {
            map.codeSpaces = [([0x00], [0x80]), ([0x81, 0x41], [0xFE, 0xFE])]
        } else {
            map.codeSpaces = PDFCMap.identity.codeSpaces
        }
        return map
    }

    /// The glyphs of a shown string.
    func glyphs(_ bytes: [UInt8]) -> [Glyph] {
        var result: [Glyph] = []
        result.reserveCapacity(composite ? bytes.count / 2 : bytes.count)
        var index = 0
        while index < bytes.count {
            let length = composite ? max(1, cmap.codeLength(bytes, at: index, fallback: 2)) : 1
            var code: UInt32 = 0
            for k in 0..<length { code = code << 8 | UInt32(bytes[index + k]) }
            index += length
            result.append(glyph(code, length: length))
        }
        return result
    }

    private func glyph(_ code: UInt32, length: Int) -> Glyph {
        if composite {
            let cid = identityCMap ? Int(code) : (cmap.cid(code, length: length) ?? Int(code))
            var text = toUnicode?.unicode[PDFCMap.key(code, length: length)]
            if text == nil, !identityCMap, cmap.cids.isEmpty, cmap.cidRanges.isEmpty, length == 2,
               let scalar = UnicodeScalar(code) {
                text = String(Character(scalar))  // the UCS2 CMaps: the code is the character
            }
            let width = (cidWidths[cid] ?? defaultWidth) * 0.001
            return Glyph(code: code, text: text ?? "", width: vertical ? 1.0 : width, isWordSpace: length == 1 && code == 32)
        }
        let text = toUnicode?.unicode[PDFCMap.key(code, length: 1)] ?? encoding?.table[Int(code & 0xFF)] ?? ""
        let index = Int(code) - firstChar
        let raw = index >= 0 && index < widths.count ? widths[index] : missingWidth
        return Glyph(code: code, text: text, width: raw * widthScale, isWordSpace: code == 32)
    }
}
