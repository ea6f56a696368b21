import CommandKit
import Foundation

/// `baton bench validate`: wall time of `baton validate` on a generated 500-step workflow, as a
/// whole process (start-up included), next to `baton version` (the bare process start) as the
/// reference. Target: median under 100 ms.
struct ValidateBench: TableCommand {
    static let abstract = "Time 'baton validate' on a generated 500-step workflow (whole process)."
    static let options = OptionTable("baton bench validate", [
        .option("steps", value: "N", help: "Steps in the generated workflow.", default: "500"),
        .timedRuns("runs", "Timed runs of each command", default: 21),
        .option("keep", value: "FILE", help: "Also write the generated workflow to FILE."),
    ])
    static let discussion = """
        Generates a workflow of N steps (default 500: inputs, models, chained generate, summarize,
        translate, extract, template and for_each steps whose templates read inputs and earlier
        steps), then runs `baton validate` on it as a separate process --runs times (default 21)
        and prints the median, min and max wall time, next to `baton version` (process start only).
        CPU time (user + system of the child) is printed too: on a shared, busy machine the wall
        time includes waiting for a core, the CPU time does not. Build with -c release.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let steps = try parsed.positiveCount("steps", usage: usage), runs = try parsed.positiveCount("runs", usage: usage)
        let source = generatedWorkflow(steps: steps)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(steps)-steps.yaml")
        try Data(source.utf8).write(to: file)
        if let keep = parsed.value("keep") { try Data(source.utf8).write(to: URL(fileURLWithPath: keep)) }
        defer { try? FileManager.default.removeItem(at: file) }

        // The `baton` built beside this benchmark executable is the one measured.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("baton").path
        // One untimed run of each warms the page cache and checks the workflow is valid.
        guard try timedRun(executable, ["validate", file.path]).status == 0 else {
            printError("error: the generated workflow does not validate; run with --keep to inspect it")
            return 1
        }
        _ = try timedRun(executable, ["version"])
        var validate: [Double] = [], validateCPU: [Double] = []
        var start: [Double] = [], startCPU: [Double] = []
        for _ in 0..<runs {
            let bare = try timedRun(executable, ["version"])
            start.append(bare.seconds)
            startCPU.append(bare.cpuSeconds)
            let checked = try timedRun(executable, ["validate", file.path])
            validate.append(checked.seconds)
            validateCPU.append(checked.cpuSeconds)
        }
        let kilobytes = Double(source.utf8.count) / 1024
        printOut("baton bench validate: \(steps) steps, \(String(format: "%.0f", kilobytes)) KB of YAML, \(runs) runs each (whole process)")
        printOut(row("baton version (process start)", start))
        printOut(row("baton validate", validate))
        printOut(row("  CPU time: baton version", startCPU))
        printOut(row("  CPU time: baton validate", validateCPU))
        let medianValidate = median(validate), medianStart = median(start)
        printOut(String(format: "validate minus process start: %.1f ms; ratio to process start: %.2fx; target < 100 ms: %@",
                        (medianValidate - medianStart) * 1000, medianValidate / max(medianStart, 1e-9),
                        medianValidate < 0.1 ? "met" : "NOT met"))
        return 0
    }

    static func row(_ label: String, _ samples: [Double]) -> String {
        String(format: "  %@ median %7.2f ms   min %7.2f ms   max %7.2f ms",
               label.padding(toLength: 30, withPad: " ", startingAt: 0), median(samples) * 1000,
               (samples.min() ?? 0) * 1000, (samples.max() ?? 0) * 1000)
    }

    static func median(_ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Runs the binary with output discarded; returns its status, wall time and CPU time.
    ///
    /// `posix_spawn` and `waitpid` directly: Foundation's `Process.waitUntilExit` polls a run loop
    /// and adds tens of milliseconds of its own to a short child's wall time.
    static func timedRun(_ executable: String, _ arguments: [String]) throws -> (status: Int32, seconds: Double, cpuSeconds: Double) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let cpuBefore = childrenCPUSeconds()
        let begin = DispatchTime.now().uptimeNanoseconds
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw UsageError(message: "cannot start \(executable): error \(spawned)", usage: usage)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let wall = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, wall, childrenCPUSeconds() - cpuBefore)
    }

    /// User plus system CPU time of all finished children: unlike wall time it does not grow when
    /// other processes compete for the cores, so it shows the work itself on a busy machine.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// A realistic large workflow: every step kind that needs no external file, each reading inputs
    /// and one or two earlier steps, so the reference and cycle checks have a real graph to walk.
    static func generatedWorkflow(steps: Int) -> String {
        var yaml = """
            baton: 1
            name: bench-\(steps)-steps
            description: 벤치마크용으로 생성한 \(steps)단계 워크플로
            inputs:
              product:  { type: string, default: 2027 한빛시 봄꽃 축제 }
              tone:     { type: enum, values: [friendly, formal, playful], default: friendly }
              channels: { type: list, items: string, default: [instagram, youtube] }
              count:    { type: integer, default: 3 }
            models:
              writer: { provider: local, path: SmolLM2-135M-Instruct.Q4_1.gguf, context: 2048 }
              remote: { provider: openai, base_url: "http://localhost:11434/v1", model: "qwen2.5:7b", api_key_env: OPENAI_API_KEY }
            defaults: { model: writer, temperature: 0.7, max_tokens: 256, retry: { attempts: 3, backoff: 2s }, timeout: 2m }
            steps:

            """
        for index in 0..<steps {
            let previous = index > 0 ? "s\(index - 1)" : nil
            let earlier = index > 7 ? "s\(index / 2)" : nil
            let reads = [previous, earlier].compactMap { $0 }.map { "{{ steps.\($0).output | truncate(200) }}" }.joined(separator: "\n      ")
            switch index % 6 {
            case 0:
                yaml += """
                  - id: s\(index)
                    kind: generate
                    temperature: 0.\(index % 10)
                    prompt: |
                      제품: {{ inputs.product }} / 톤: {{ inputs.tone }}
                      {% for channel in inputs.channels %}- {{ channel | upper }}{% if not loop.last %}, {% endif %}{% endfor %}
                      \(reads)

                """
            case 1:
                yaml += """
                  - id: s\(index)
                    kind: summarize
                    text: "\(previous.map { "{{ steps.\($0).output }}" } ?? "{{ inputs.product }}")"
                    max_sentences: 3
                    format: bullets
                    language: ko

                """
            case 2:
                yaml += """
                  - id: s\(index)
                    kind: translate
                    text: "{{ steps.s\(index - 1).output }}"
                    from: ko
                    to: en
                    glossary: { 한빛시: Hanbit City, 봄꽃 축제: Spring Flower Festival }
                    when: inputs.tone != 'playful'

                """
            case 3:
                yaml += """
                  - id: s\(index)
                    kind: extract
                    text: "{{ steps.s\(index - 1).output }}"
                    schema: { slogans: [string], headline: string, score: number? }
                    temperature: 0

                """
            case 4:
                yaml += """
                  - id: s\(index)
                    kind: template
                    template: |
                      # {{ inputs.product }}
                      {% for slogan in steps.s\(index - 1).output.slogans %}{{ loop.index }}. {{ slogan }}
                      {% endfor %}

                """
            default:
                yaml += """
                  - id: s\(index)
                    kind: generate
                    for_each: { items: "{{ inputs.channels }}", concurrency: 2 }
                    model: remote
                    prompt: "{{ item }} 채널용 문안: {{ steps.s\(index - 1).output | trim }}"
                    retry: { attempts: 2, backoff: 500ms }
                    timeout: 1m30s

                """
            }
        }
        yaml += """
            outputs:
              last: "{{ steps.s\(steps - 1).output }}"
              files:
                - { path: "bench/{{ inputs.product | slug }}.md", content: "{{ steps.s\(steps - 1).output }}" }

            """
        return yaml
    }
}
