import CommandKit
import Documents
import Foundation

/// `baton bench documents`: DEFLATE decoding against Python's zlib (C), PDF text against
/// pdfminer.six and DOCX text against python-docx, each a median over repeated runs on the same
/// input in one process, with the ratio beside it (targets from issue 13: DEFLATE >= 0.5x zlib's
/// throughput, PDF >= 10x pdfminer, DOCX >= 5x python-docx).
struct DocumentsBench: TableCommand {
    static let name = "documents"
    static let abstract = "DEFLATE, PDF and DOCX reading against zlib, pdfminer.six and python-docx."
    static let options = OptionTable("baton bench documents", [
        .option("megabytes", value: "N", help: "Size of the DEFLATE input (default 50)."),
        .option("pdf", value: "FILE", help: "The PDF to read (default Tests/DocumentsTests/Fixtures/pdf/libreoffice-korean.pdf)."),
        .option("docx", value: "FILE", help: "The DOCX to read (default Tests/DocumentsTests/Fixtures/office/release.docx)."),
        .option("samples", value: "N", help: "Timed runs per measurement (default 5 for DEFLATE, 20x that for documents)."),
    ])
    static let discussion = """
        DEFLATE: N MB (default 50) of generated Korean/English prose, compressed once by Python's
        zlib (level 6, raw DEFLATE), then decoded by Baton's Inflate and by zlib.decompress;
        prints MB/s of each and the ratio. PDF and DOCX: the text of FILE (defaults: the test
        fixtures libreoffice-korean.pdf and release.docx) by Baton and by pdfminer.six
        (line_margin 0.1) / python-docx; prints the median milliseconds and the ratio.
        Needs python3 with pdfminer.six and python-docx for the references.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let megabytes = try parsed.positiveInteger("megabytes", usage: usage) ?? 50
        let samples = try parsed.positiveInteger("samples", usage: usage) ?? 5
        let pdf = parsed.value("pdf") ?? "Tests/DocumentsTests/Fixtures/pdf/libreoffice-korean.pdf"
        let docx = parsed.value("docx") ?? "Tests/DocumentsTests/Fixtures/office/release.docx"
        let directory = try BenchText.scratchFolder("documents")
        defer { try? FileManager.default.removeItem(at: directory) }

        // DEFLATE
        let raw = directory.appendingPathComponent("raw.txt"), packed = directory.appendingPathComponent("raw.deflate")
        try Data(BenchText.mixed(bytes: megabytes << 20).utf8).write(to: raw)
        let zlibScript = """
            import sys, time, zlib, statistics
            data = open(sys.argv[1], 'rb').read()
            c = zlib.compressobj(6, zlib.DEFLATED, -15); packed = c.compress(data) + c.flush()
            open(sys.argv[2], 'wb').write(packed)
            times = []
            for _ in range(int(sys.argv[3])):
                t = time.perf_counter(); out = zlib.decompress(packed, -15); times.append(time.perf_counter() - t)
            assert out == data
            print(statistics.median(times))
            """
        guard let zlibOutput = BenchText.python(["-c", zlibScript, raw.path, packed.path, String(samples)]),
              let zlibSeconds = Double(zlibOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            printError("error: python3 could not compress the DEFLATE input")
            return 1
        }
        let compressed = [UInt8](try Data(contentsOf: packed))
        let original = try Data(contentsOf: raw)
        var inflateTimes: [Double] = []
        for _ in 0..<samples {
            let start = DispatchTime.now().uptimeNanoseconds
            let output = try Inflate.inflate(compressed, expectedSize: original.count)
            inflateTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard output.count == original.count else { printError("error: Inflate gave \(output.count) bytes, not \(original.count)"); return 1 }
        }
        let inflateSeconds = median(inflateTimes)
        let megabytesOut = Double(original.count) / 1e6
        printOut("deflate  \(megabytes) MB prose -> \(compressed.count >> 10) KB, \(samples) runs each")
        printOut(String(format: "  baton Inflate     %8.1f MB/s", megabytesOut / inflateSeconds))
        printOut(String(format: "  python zlib (C)   %8.1f MB/s", megabytesOut / zlibSeconds))
        printOut(String(format: "  ratio baton/zlib  %8.2fx  (target >= 0.5x)", zlibSeconds / inflateSeconds))

        // PDF and DOCX
        let runs = samples * 20
        for (label, file, reference, target) in [
            ("pdf", pdf, "from pdfminer.high_level import extract_text\nfrom pdfminer.layout import LAParams\nread = lambda p: extract_text(p, laparams=LAParams(line_margin=0.1))", 10.0),
            ("docx", docx, "import docx\ndef read(p):\n    d = docx.Document(p)\n    return '\\n'.join([x.text for x in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])", 5.0),
        ] {
            let bytes: [UInt8]
            do { bytes = try Documents.load(file) } catch { printError(error.description); return 1 }
            var times: [Double] = []
            var characters = 0
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                let text: DocumentText
                do { text = try Documents.read(bytes, file: file) } catch { printError(error.description); return 1 }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                characters = text.plainText.count
            }
            let script = reference + """

                import sys, time, statistics
                times = []
                for _ in range(int(sys.argv[2])):
                    t = time.perf_counter(); text = read(sys.argv[1]); times.append(time.perf_counter() - t)
                print(statistics.median(times) * 1000, len(text))
                """
            let baton = median(times)
            printOut("\(label)  \(file), \(runs) runs each")
            printOut(String(format: "  baton             %8.2f ms  (%d characters)", baton, characters))
            guard let output = BenchText.python(["-c", script, file, String(runs)]),
                  let milliseconds = output.split(separator: " ").first.flatMap({ Double($0) }) else {
                printOut("  reference skipped (python3 with \(label == "pdf" ? "pdfminer.six" : "python-docx") not found)")
                continue
            }
            printOut(String(format: "  %@ %8.2f ms", (label == "pdf" ? "pdfminer.six" : "python-docx").padding(toLength: 17, withPad: " ", startingAt: 0), milliseconds))
            printOut(String(format: "  ratio             %8.1fx faster  (target >= %.0fx)", milliseconds / baton, target))
        }
        return 0
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
