/// Runs a page's content streams for their text (ISO 32000-1 9.4): the text and graphics state
/// operators that place glyphs, form XObjects (`Do`), and nothing that only paints.
///
/// The result is every shown glyph with its position on the page, in the order drawn; the layout
/// (`PDFTextLayout`) turns those into lines and paragraphs.
struct PDFContentInterpreter {
    /// A glyph placed on the page (device space, y up).
    struct PlacedGlyph {
        var text: String
        var x: Double
        var y: Double
        /// Advance along the baseline, in page units.
        var width: Double
        /// The effective font size on the page.
        var size: Double
    }

    private struct GraphicsState {
        var ctm = PDFMatrix.identity
        var font = PDFFont.fallback
        var fontSize = 0.0
        var charSpacing = 0.0
        var wordSpacing = 0.0
        var horizontalScale = 1.0
        var leading = 0.0
        var rise = 0.0
    }

    let file: PDFFile
    private(set) var glyphs: [PlacedGlyph] = []
    private var state = GraphicsState()
    private var stack: [GraphicsState] = []
    private var textMatrix = PDFMatrix.identity
    private var lineMatrix = PDFMatrix.identity
    private var fonts: [Int: PDFFont] = [:]
    private var formsInUse: Set<Int> = []
    private var operations = 0

    static let maximumOperations = 20_000_000
    static let maximumFormDepth = 16
    static let maximumGlyphs = 5_000_000

    init(file: PDFFile) { self.file = file }

    /// Interprets `content` with `resources`.
    mutating func run(_ content: [UInt8], resources: PDFDictionary?, depth: Int = 0) throws(PDFError) {
        let outcome: Result<Void, PDFError> = content.withUnsafeBytes { buffer in
            do throws(PDFError) {
                try interpret(buffer, resources: resources, depth: depth)
                return .success(())
            } catch { return .failure(error) }
        }
        try outcome.get()
    }

    private mutating func interpret(_ buffer: UnsafeRawBufferPointer, resources: PDFDictionary?, depth: Int) throws(PDFError) {
        var parser = PDFParser(buffer, readsReferences: false)
        var operands: [PDFObject] = []
        while true {
            let start = parser.position
            let token: PDFParser.Token
            do { token = try parser.nextToken() } catch {
                // A damaged operand ends the stream's text here; what was read stays.
                return
            }
            switch token {
            case .end: return
            case .object(let object): operands.append(object)
            case .arrayStart, .dictionaryStart:
                parser.position = start
                guard let object = try? parser.parseObject(depth: 1) else { return }
                operands.append(object)
            case .arrayEnd, .dictionaryEnd: operands.removeAll(keepingCapacity: true)
            case .keyword(let op):
                operations += 1
                guard operations < Self.maximumOperations else {
                    throw PDFError("more than \(Self.maximumOperations) content operators")
                }
                if op == "BI" { skipInlineImage(&parser); operands.removeAll(keepingCapacity: true); continue }
                try execute(op, operands, resources: resources, depth: depth)
                operands.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Skips `BI ... ID <binary> EI`.
    private func skipInlineImage(_ parser: inout PDFParser) {
        let bytes = parser.bytes
        var index = parser.position
        // Find the ID operator, then EI preceded and followed by white space.
        while index + 2 < bytes.count, !(bytes[index] == 0x49 && bytes[index + 1] == 0x44 && PDFParser.isWhitespace(bytes[index + 2])) { index += 1 }
        index += 3
        while index + 2 < bytes.count {
            if bytes[index] == 0x45, bytes[index + 1] == 0x49, PDFParser.isWhitespace(bytes[index - 1]),
               index + 2 == bytes.count || !PDFParser.isRegular(bytes[index + 2]) {
                parser.position = index + 2
                return
            }
            index += 1
        }
        parser.position = bytes.count
    }

    private func number(_ operands: [PDFObject], _ index: Int) -> Double {
        index < operands.count ? (operands[index].number ?? 0) : 0
    }

    private func numbers(_ operands: [PDFObject]) -> [Double] { operands.compactMap(\.number) }

    private mutating func execute(_ op: String, _ operands: [PDFObject], resources: PDFDictionary?, depth: Int) throws(PDFError) {
        switch op {
        case "q": if stack.count < 256 { stack.append(state) }
        case "Q": if let last = stack.popLast() { state = last }
        case "cm":
            if let matrix = PDFMatrix(numbers(operands)) { state.ctm = matrix.concatenating(state.ctm) }
        case "BT":
            textMatrix = .identity
            lineMatrix = .identity
        case "ET": break
        case "Tf":
            if let name = operands.first?.name { state.font = try font(named: name, resources: resources) }
            state.fontSize = number(operands, 1)
        case "Tc": state.charSpacing = number(operands, 0)
        case "Tw": state.wordSpacing = number(operands, 0)
        case "Tz": state.horizontalScale = number(operands, 0) / 100
        case "TL": state.leading = number(operands, 0)
        case "Ts": state.rise = number(operands, 0)
        case "Td": moveLine(number(operands, 0), number(operands, 1))
        case "TD":
            state.leading = -number(operands, 1)
            moveLine(number(operands, 0), number(operands, 1))
        case "Tm":
            if let matrix = PDFMatrix(numbers(operands)) {
                textMatrix = matrix
                lineMatrix = matrix
            }
        case "T*": moveLine(0, -state.leading)
        case "Tj": if let bytes = operands.last?.string { show(bytes) }
        case "'":
            moveLine(0, -state.leading)
            if let bytes = operands.last?.string { show(bytes) }
        case "\"":
            state.wordSpacing = number(operands, 0)
            state.charSpacing = number(operands, 1)
            moveLine(0, -state.leading)
            if let bytes = operands.last?.string { show(bytes) }
        case "TJ":
            for item in operands.last?.array ?? [] {
                if let bytes = item.string {
                    show(bytes)
                } else if let adjustment = item.number {
                    let tx = -adjustment / 1000 * state.fontSize * state.horizontalScale
                    textMatrix = textMatrix.translatedBy(tx, 0)
                }
            }
        case "Do":
            if let name = operands.first?.name { try drawForm(named: name, resources: resources, depth: depth) }
        default: break
        }
    }

    private mutating func moveLine(_ x: Double, _ y: Double) {
        lineMatrix = lineMatrix.translatedBy(x, y)
        textMatrix = lineMatrix
    }

    private mutating func show(_ bytes: [UInt8]) {
        let font = state.font
        let size = state.fontSize
        let scale = state.horizontalScale
        for glyph in font.glyphs(bytes) {
            let render = PDFMatrix(size * scale, 0, 0, size, 0, state.rise).concatenating(textMatrix).concatenating(state.ctm)
            let advance = (glyph.width * size + state.charSpacing + (glyph.isWordSpace ? state.wordSpacing : 0)) * scale
            if !glyph.text.isEmpty, glyphs.count < Self.maximumGlyphs {
                let pageSize = (render.c * render.c + render.d * render.d).squareRoot()
                // The advance in page units: the text-space vector (advance, 0) through Tm × CTM.
                let along = textMatrix.concatenating(state.ctm)
                let width = advance * (along.a * along.a + along.b * along.b).squareRoot()
                glyphs.append(PlacedGlyph(text: glyph.text, x: render.e, y: render.f, width: width, size: pageSize))
            }
            textMatrix = textMatrix.translatedBy(advance, 0)
        }
    }

    private mutating func font(named name: String, resources: PDFDictionary?) throws(PDFError) -> PDFFont {
        guard let resources, let fontDictionary = try file.value(resources, "Font")?.dictionary,
              let entry = fontDictionary[name] else { return .fallback }
        if let reference = entry.reference, let cached = fonts[reference.number] { return cached }
        guard let dictionary = try file.resolve(entry).dictionary else { return .fallback }
        let font: PDFFont
        do { font = try PDFFont(dictionary: dictionary, file: file) } catch {
            font = .fallback  // a damaged font resource: show its text through the fallback
        }
        if let reference = entry.reference { fonts[reference.number] = font }
        return font
    }

    private mutating func drawForm(named name: String, resources: PDFDictionary?, depth: Int) throws(PDFError) {
        guard let resources, let xobjects = try file.value(resources, "XObject")?.dictionary, let entry = xobjects[name],
              case .stream(let stream) = try file.resolve(entry), stream.dictionary.name("Subtype") == "Form" else { return }
        let key = entry.reference?.number ?? -1
        guard depth < Self.maximumFormDepth, !formsInUse.contains(key) else { return }
        formsInUse.insert(key)
        defer { formsInUse.remove(key) }
        let saved = (state, stack, textMatrix, lineMatrix)
        if let matrix = PDFMatrix((try file.value(stream.dictionary, "Matrix")?.array ?? []).compactMap(\.number)) {
            state.ctm = matrix.concatenating(state.ctm)
        }
        let formResources = try file.value(stream.dictionary, "Resources")?.dictionary ?? resources
        let data = try file.decodedData(stream)
        try run(data, resources: formResources, depth: depth + 1)
        (state, stack, textMatrix, lineMatrix) = saved
    }
}
