import Base
import Foundation
import Synchronization
import Audit
import CommandKit
import Engine

/// Shows a run's progress on stderr: a live table (one line per step, streamed text of the
/// running step) when stderr is a terminal, plain log lines otherwise (CI logs, pipes).
final class RunProgress: Sendable {
    /// The table and what has been drawn of it; events arrive from many tasks at once, and each
    /// is applied (and drawn) whole under the mutex, so lines never interleave.
    private let board: Mutex<ProgressBoard>

    /// Live when stderr is a terminal, or when `BATON_PROGRESS=live` asks for the table anyway
    /// (a terminal recorder, or a test reading what a terminal would show).
    init(live: Bool = isatty(STDERR_FILENO) == 1 || ProcessInfo.processInfo.environment["BATON_PROGRESS"] == "live") {
        board = Mutex(ProgressBoard(live: live))
    }

    func handle(_ event: EngineEvent) {
        board.withLock { $0.handle(event) }
    }

    /// The most item lines shown under a running `for_each` step.
    static let itemLines = 8

    /// The terminal's width; 80 when it cannot be asked.
    static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// `text` cut to fit `columns` cells (`DisplayWidth` of each character's first scalar: Hangul
    /// and other wide characters take two), so that no line wraps and moving the cursor up by
    /// the number of lines redraws the table exactly.
    static func fit(_ text: String, columns: Int) -> String {
        var width = 0
        var out = ""
        for character in text {
            let cells = character.unicodeScalars.first.map { DisplayWidth.cells($0) } ?? 1
            if width + cells > columns - 1 { break }
            width += cells
            out.append(character)
        }
        return out
    }

    static func word(_ status: AttemptStatus) -> String {
        switch status {
        case .succeeded: return "succeeded"
        case .failed: return "failed"
        case .skipped: return "skipped"
        case .cancelled: return "cancelled"
        }
    }

    static func mark(_ state: String) -> String {
        switch state {
        case "succeeded", "reused": return "✓"
        case "failed": return "✗"
        case "running": return "▸"
        case "skipped", "not run": return "–"
        default: return "·"
        }
    }

    static func figures(_ report: UnitReport) -> String {
        guard !report.reused, report.status == .succeeded || report.status == .failed else { return "" }
        // A model step's figures are its model's: not the wait for a slot or the model load.
        var text = " \(seconds(report.callTime ?? report.elapsed))"
        if let tokens = report.tokensOut {
            let time = report.lastCallTime ?? report.elapsed
            text += ", \(tokens) tokens, \(String(format: "%.1f", Double(tokens) / max(0.001, value(time)))) tok/s"
        }
        if report.attempts > 1 { text += ", \(report.attempts) attempts" }
        return text
    }

    static func value(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One duration format across Baton's output (`0.612 s`, `12.3 s`, `4 min 05 s`), the one
    /// `baton runs` and `baton show` print.
    static func seconds(_ duration: Duration) -> String { AuditPresentation.formatDuration(value(duration)) }
}

/// What `RunProgress` shows: one line per step, and how much of it is on the screen.
private struct ProgressBoard {
    struct Line {
        var id: String
        var state = "waiting"
        var started: ContinuousClock.Instant?
        var elapsed: Duration = .zero
        var tokensOut = 0
        var items = 0
        var done = 0
        var failed = 0
        /// The latest streamed text of each unit in flight, by `for_each` item (`nil`: the step
        /// itself): items stream at once, and one shared tail would mix their words.
        var tails: [Int?: String] = [:]
    }

    let live: Bool
    let begin: ContinuousClock.Instant
    var lines: [Line] = []
    var drawn = 0
    var lastDraw: ContinuousClock.Instant?

    init(live: Bool) {
        self.live = live
        begin = ContinuousClock.now
    }

    mutating func handle(_ event: EngineEvent) {
        switch event {
        case .runStarted(let runID, let steps):
            lines = steps.map { Line(id: $0) }
            emit("run \(runID): \(steps.count) steps")
        case .itemsPlanned(let step, let count):
            update(step) { $0.items = count }
            emit("\(step): \(count) items")
        case .attemptStarted(let key, let attempt, let reason):
            update(key.stepID) {
                if $0.started == nil { $0.started = ContinuousClock.now }
                $0.state = "running"
                $0.tails[key.iteration] = nil
            }
            if key.iteration == nil || attempt > 1 {
                emit(attempt > 1 ? "\(key): retry, attempt \(attempt)\(reason.map { " (\($0))" } ?? "")" : "\(key): running")
            }
        case .token(let key, let text):
            update(key.stepID) { $0.tails[key.iteration] = String((($0.tails[key.iteration] ?? "") + text).replacingOccurrences(of: "\n", with: " ").suffix(60)) }
            if live { redraw(force: false) }
            return
        case .unitFinished(let key, let report):
            update(key.stepID) { line in
                line.tails[key.iteration] = nil
                line.tokensOut += report.tokensOut ?? 0
                if line.items > 0 {
                    if report.status == .failed { line.failed += 1 } else { line.done += 1 }
                    if line.done + line.failed == line.items { line.state = line.failed > 0 ? "failed" : "succeeded" }
                } else {
                    line.state = report.reused ? "reused" : RunProgress.word(report.status)
                }
                line.elapsed = line.started.map { ContinuousClock.now - $0 } ?? .zero
                // A single model call's line shows the call's time, as the log line does.
                if line.items == 0, let call = report.callTime { line.elapsed = call }
            }
            emit("\(key): \(report.reused ? "reused" : RunProgress.word(report.status))\(RunProgress.figures(report))\(report.error.map { ": \($0)" } ?? "")")
        case .stepBlocked(let step, let because):
            update(step) { $0.state = "not run" }
            emit("\(step): not run, '\(because)' did not succeed")
        case .reviewWaiting(let step, let round):
            update(step) { $0.state = "waiting" }
            emit("\(step): waiting for review (round \(round))")
        case .runFinished(let result):
            if live { redraw(force: true) }
            emit("run \(result.runID) \(result.status.rawValue) in \(RunProgress.seconds(ContinuousClock.now - begin))")
        }
        if live { redraw(force: false) }
}

    private mutating func update(_ id: String, _ change: (inout Line) -> Void) {
        if let index = lines.firstIndex(where: { $0.id == id }) { change(&lines[index]) }
    }

    /// A plain log line (only when not drawing the live table).
    private func emit(_ text: String) {
        guard !live else { return }
        FileHandle.standardError.write(Data("[\(RunProgress.seconds(ContinuousClock.now - begin))] \(TerminalText.text(text))\n".utf8))
    }

    private mutating func redraw(force: Bool) {
        let now = ContinuousClock.now
        if !force, let lastDraw, now - lastDraw < .milliseconds(80) { return }
        lastDraw = now
        var out = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        let columns = RunProgress.terminalColumns()
        var count = 0
        for line in lines {
            var text = "\(RunProgress.mark(line.state)) \(line.id.padding(toLength: 18, withPad: " ", startingAt: 0)) \(line.state.padding(toLength: 9, withPad: " ", startingAt: 0))"
            if line.items > 0 {
                text += " \(line.done + line.failed)/\(line.items)" + (line.failed > 0 ? " (\(line.failed) failed)" : "")
                let finished = line.done + line.failed
                if let started = line.started, finished > 0, finished < line.items {
                    let perItem = (ContinuousClock.now - started) / finished
                    text += " ETA \(RunProgress.seconds(perItem * (line.items - finished)))"
                }
            }
            let elapsed = line.state == "running" ? (line.started.map { now - $0 } ?? .zero) : line.elapsed
            if line.started != nil { text += " \(RunProgress.seconds(elapsed))" }
            if line.tokensOut > 0 {
                let rate = Double(line.tokensOut) / max(0.001, RunProgress.value(elapsed))
                text += " \(line.tokensOut) tok \(String(format: "%.1f", rate)) tok/s"
            }
            if line.state == "running", let tail = line.tails[nil], !tail.isEmpty { text += "  …\(TerminalText.name(tail))" }
            out += "\u{1B}[2K" + RunProgress.fit(text, columns: columns) + "\n"
            count += 1
            guard line.state == "running" else { continue }
            // One line per item in flight, each with its own text.
            for (item, tail) in line.tails.compactMap({ entry in entry.key.map { ($0, entry.value) } }).sorted(by: { $0.0 < $1.0 }).prefix(RunProgress.itemLines) where !tail.isEmpty {
                out += "\u{1B}[2K" + RunProgress.fit("    [\(item)] …\(TerminalText.name(tail))", columns: columns) + "\n"
                count += 1
            }
        }
        // Clear what the last drawing had below (item lines that finished since).
        for _ in count..<max(count, drawn) { out += "\u{1B}[2K\n" }
        drawn = max(count, drawn)
        FileHandle.standardError.write(Data(out.utf8))
    }
}
