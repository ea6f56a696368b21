/// Reads Hangul HWP 5.0 documents (an OLE2 compound file): the `FileHeader` (version and
/// flags: password-protected, distribution and DRM documents are refused with a clear error),
/// `DocInfo`'s paragraph shapes (outline levels make headings), and the `BodyText/SectionN`
/// streams in numeric order, raw DEFLATE when the header says compressed. Positions are section
/// and paragraph numbers, as for HWPX.
struct HWPReader: DocumentFormatReader {
    var formats: [DocumentFormat] { [.hwp] }

    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        let compound = try CompoundFile(bytes, file: file, limits: limits)
        guard let headerEntry = compound.entry(["FileHeader"]) else {
            throw DocumentError(file: file, "the compound file has no FileHeader stream; is it an HWP 5 document?")
        }
        let header = try HWPFileHeader(try compound.read(headerEntry), file: file)
        if let refusal = header.refusal(file: file) { throw refusal }
        var streams = HWPStreams(compound: compound, compressed: header.compressed, file: file, limits: limits)
        let docInfo = try compound.entry(["DocInfo"]).map { entry throws(DocumentError) in
            try HWPRecord.forest(try streams.bytes(entry, name: "DocInfo"), stream: "DocInfo", file: file, maximumDepth: limits.maximumDepth)
        } ?? []
        guard let body = compound.entry(["BodyText"]) else {
            if compound.entry(["ViewText"]) != nil {
                throw DocumentError(file: file, "the HWP document keeps its text only in ViewText (a distribution document), which is encrypted")
            }
            throw DocumentError(file: file, "the HWP document has no BodyText storage")
        }
        let sections = body.children.compactMap { entry -> (Int, CompoundFileEntry)? in
            guard entry.kind == .stream, entry.name.hasPrefix("Section"), let number = Int(entry.name.dropFirst(7)) else { return nil }
            return (number, entry)
        }.sorted { $0.0 < $1.0 }
        guard !sections.isEmpty else {
            throw DocumentError(file: file, "the HWP document's BodyText holds no Section stream")
        }
        var walker = HWPSectionWalker(shapes: HWPParagraphShapes(docInfo: docInfo), file: file, maximumDepth: limits.maximumDepth)
        for (index, (number, entry)) in sections.enumerated() {
            let name = "BodyText/Section\(number)"
            let records = try HWPRecord.forest(try streams.bytes(entry, name: name), stream: name, file: file, maximumDepth: limits.maximumDepth)
            try walker.walk(records, section: index + 1, stream: name)
        }
        var output = walker.output
        output.appendNotes()
        return DocumentText(title: output.firstHeading, blocks: output.blocks, format: .hwp)
    }
}

/// The streams of one HWP document, inflated (raw DEFLATE) when the document is compressed,
/// within one budget: the total, per-stream and ratio limits of `DocumentLimits`.
struct HWPStreams {
    let compound: CompoundFile
    let compressed: Bool
    let file: String
    let limits: DocumentLimits
    private var remaining: Int

    init(compound: CompoundFile, compressed: Bool, file: String, limits: DocumentLimits) {
        self.compound = compound
        self.compressed = compressed
        self.file = file
        self.limits = limits
        remaining = limits.maximumTotalBytes
    }

    mutating func bytes(_ entry: CompoundFileEntry, name: String) throws(DocumentError) -> [UInt8] {
        let stored = try compound.read(entry)
        guard compressed else { return stored }
        let limit = min(limits.maximumEntryBytes, remaining)
        let output: [UInt8]
        do {
            output = try Inflate.inflate(stored, limit: limit)
        } catch {
            throw DocumentError(file: file, .entry(name, byteOffset: error.byteOffset),
                                error.reason == .outputLimit ? "the stream inflates to more than the limit of \(limit) bytes" : "cannot inflate the stream: \(error.message)")
        }
        if output.count > limits.ratioFloorBytes, output.count / max(1, stored.count) > limits.maximumRatio {
            throw DocumentError(file: file, .entry(name), "the stream inflates \(output.count / max(1, stored.count)) times its compressed size, more than the limit of \(limits.maximumRatio) (a bomb?)")
        }
        remaining -= output.count
        return output
    }
}
