/// One problem `AuditStore.verify` found, naming the row: run, table, chain position, and for a
/// step attempt its step, iteration and attempt number.
public struct AuditViolation: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: String, Sendable, CaseIterable {
        /// A row's contents do not match its own hash.
        case editedRow
        /// Chain positions before this row are absent.
        case missingRows
        /// The row's `prev_hash` is not the hash of the row before it.
        case brokenLink
        /// The row was inserted after a row that comes later in its chain.
        case reordered
        /// Two rows claim the same chain position.
        case duplicatePosition
        /// The run's recorded (start) fields do not match their hash.
        case editedRun
        /// The run's status, finish time or error do not match their seal.
        case editedFinish
        /// The sealed row count or last hash differs from the rows present.
        case chainMismatch
        /// Rows refer to a run that is not there.
        case missingRun
        /// A written file on disk no longer has the recorded SHA-256 (`checkFiles`).
        case fileChanged
        /// A written file is no longer on disk (`checkFiles`).
        case fileMissing
    }

    public var kind: Kind
    public var runID: String
    /// `runs`, `step_attempts` or `files_written`.
    public var table: String
    public var chainIndex: Int?
    public var stepID: String?
    public var iteration: Int?
    public var attempt: Int?
    /// For a file row, the file's path.
    public var path: String?
    /// What was found, in words.
    public var message: String

    /// The row, as a person would name it: `run R: step_attempts #3 (step 'copy', iteration 2, attempt 1)`.
    public var location: String {
        var text = "run \(runID): \(table)"
        if let chainIndex { text += " #\(chainIndex)" }
        var details: [String] = []
        if let stepID { details.append("step '\(stepID)'") }
        if let iteration { details.append("iteration \(iteration)") }
        if let attempt { details.append("attempt \(attempt)") }
        if let path { details.append("file '\(path)'") }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        return text
    }

    /// `<location>: <message>`.
    public var description: String { location + ": " + message }
}

/// The outcome of verifying the store or one run.
public struct AuditVerification: Sendable, Equatable {
    /// Runs checked.
    public var runCount: Int
    /// Step attempt and file rows checked.
    public var rowCount: Int
    public var violations: [AuditViolation]
    /// What SQLite's `PRAGMA integrity_check` found wrong with the file itself (pages, indexes).
    public var integrityProblems: [String] = []

    /// Whether nothing was found, by the chain or by SQLite.
    public var isClean: Bool { violations.isEmpty && integrityProblems.isEmpty }

    /// Every problem as one line: SQLite's findings (`store: ...`), then the chain's.
    public var problemLines: [String] {
        integrityProblems.map { "store: SQLite integrity check: " + $0 } + violations.map(\.description)
    }
}
