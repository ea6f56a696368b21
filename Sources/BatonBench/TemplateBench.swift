import CommandKit
import Foundation
import Template

/// `baton bench template`: renders a typical 2 KB Korean prompt template many times and prints
/// the median time per render, beside Python jinja2 rendering the same template and context.
struct TemplateBench: TableCommand {
    static let abstract = "Median render time of a 2 KB prompt template, against Python jinja2."
    static let options = OptionTable("baton bench template", [
        .timedRuns("samples", "Timed batches", default: 200),
        .flag("no-python", help: "Skip the jinja2 comparison."),
        .flag("secret-tracking", help: "Also time the renders with a run's secret tracker active (an API key the template never reads, as in most workflows), and print the cost of tracking beside the plain figure."),
    ])
    static let discussion = """
        Renders a typical 2 KB prompt template (loops, filters, Korean text) in batches and
        prints the median microseconds per render (target: under 50 µs). When python3 with
        Jinja2 is on the PATH, the same template and context are rendered with jinja2 (timeit)
        and the ratio is printed, along with whether both outputs are byte-identical.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let samples = try parsed.value("samples").map { text in
            guard let n = Int(text), n > 0 else { throw UsageError(message: "--samples needs a positive integer", usage: usage) }
            return n
        } ?? 200
        let template: Template
        do {
            template = try Template(TemplateBenchData.source, name: "bench.j2")
        } catch {
            printError(error.description)
            return 1
        }
        let context = try TemplateBenchData.context()
        let output: String
        do {
            output = try template.render(context)
        } catch {
            printError(error.description)
            return 1
        }
        // Batches long enough (about 1 ms) for the clock, short enough to give many samples.
        let batch = 50
        var wall: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<samples {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = threadCPUNanoseconds()
            for _ in 0..<batch { _ = try? template.render(context) }
            cpu.append(Double(threadCPUNanoseconds() - cpuStart) / 1000 / Double(batch))
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(batch))
        }
        let median = BenchTiming.median(wall)
        let cpuMedian = BenchTiming.median(cpu)
        printOut("template: \(TemplateBenchData.source.utf8.count) bytes of template, \(output.utf8.count) bytes of output, \(samples) x \(batch) renders")
        printOut(String(format: "baton   median %8.1f µs/render  (CPU time %.1f µs; target < 50 µs)", median, cpuMedian))
        if parsed.flag("secret-tracking") {
            // Plain and tracked batches alternate, so both see the same machine load.
            let taint = SecretTaint(secrets: ["sk-bench-0123456789abcdef0123456789abcdef"])
            var plain: [Double] = [], tracked: [Double] = []
            for _ in 0..<samples {
                var start = threadCPUNanoseconds()
                for _ in 0..<batch { _ = try? template.render(context) }
                plain.append(Double(threadCPUNanoseconds() - start) / 1000 / Double(batch))
                start = threadCPUNanoseconds()
                SecretTaint.$current.withValue(taint) { for _ in 0..<batch { _ = try? template.render(context) } }
                tracked.append(Double(threadCPUNanoseconds() - start) / 1000 / Double(batch))
            }
            let plainMedian = BenchTiming.median(plain), trackedMedian = BenchTiming.median(tracked)
            printOut(String(format: "tracked median %8.1f µs/render CPU time with secret tracking, %.1f µs without, interleaved (%+.0f%%)",
                            trackedMedian, plainMedian, (trackedMedian / plainMedian - 1) * 100))
        }
        guard !parsed.flag("no-python") else { return 0 }
        switch pythonReference(context: context, samples: samples) {
        case .success(let reference):
            printOut(String(format: "jinja2  median %8.1f µs/render  (CPU time %.1f µs; %@)", reference.microseconds, reference.cpuMicroseconds, reference.version))
            printOut(String(format: "ratio   jinja2 / baton = %.1fx (CPU time %.1fx)", reference.microseconds / median, reference.cpuMicroseconds / cpuMedian))
            printOut("output  \(reference.output == output ? "identical to jinja2" : "DIFFERS from jinja2")")
            return reference.output == output ? 0 : 1
        case .failure(let message):
            printOut("jinja2  skipped: \(message.text)")
            return 0
        }
    }

    /// CPU time of the calling thread: on a shared machine, wall time also counts the time other
    /// processes held the CPU.
    static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    struct Reference { var microseconds: Double; var cpuMicroseconds: Double; var version: String; var output: String }
    struct Skip: Error { var text: String }

    /// Runs the same render under python3's timeit (median of `samples` batches).
    static func pythonReference(context: [String: Value], samples: Int) -> Result<Reference, Skip> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try Data(TemplateBenchData.source.utf8).write(to: directory.appendingPathComponent("t.j2"))
            var object = ValueDictionary()
            for key in context.keys.sorted() { object[key] = context[key] }
            try Data(Value.dict(object).jsonString().utf8).write(to: directory.appendingPathComponent("c.json"))
            let script = """
                import json, statistics, sys, time, timeit, platform
                import jinja2
                d = sys.argv[1]
                env = jinja2.Environment(undefined=jinja2.StrictUndefined)
                # Baton's report filters, as in Tests/TemplateTests/Fixtures/generate_jinja2.py.
                env.filters['format_number'] = lambda v, decimals=0: f'{v:,.{decimals}f}'
                env.filters['percent'] = lambda v, decimals=1: f'{v * 100:.{decimals}f}%'
                t = env.from_string(open(d + '/t.j2', encoding='utf-8').read())
                c = json.load(open(d + '/c.json', encoding='utf-8'))
                out = t.render(**c)
                times = timeit.repeat(lambda: t.render(**c), number=50, repeat=int(sys.argv[2]))
                print(statistics.median(times) / 50 * 1e6)
                cpu = timeit.repeat(lambda: t.render(**c), number=50, repeat=int(sys.argv[2]), timer=time.thread_time)
                print(statistics.median(cpu) / 50 * 1e6)
                print('Python ' + platform.python_version() + ', Jinja2 ' + jinja2.__version__)
                sys.stdout.write(out)
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, directory.path, String(samples)]
            let pipe = Pipe(), errors = Pipe()
            process.standardOutput = pipe
            process.standardError = errors
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            _ = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return .failure(Skip(text: "python3 with Jinja2 is not available")) }
            let text = String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false)
            guard lines.count == 4, let micro = Double(lines[0]), let cpu = Double(lines[1]) else { return .failure(Skip(text: "unexpected python output")) }
            return .success(Reference(microseconds: micro, cpuMicroseconds: cpu, version: String(lines[2]), output: String(lines[3])))
        } catch {
            return .failure(Skip(text: "\(error)"))
        }
    }
}
