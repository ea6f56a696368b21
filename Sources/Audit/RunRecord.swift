import Foundation

/// Why a run started.
public enum RunTrigger: String, Sendable, Codable, CaseIterable {
    /// `baton run` by hand (or from a plain crontab).
    case manual
    /// The scheduler daemon, at `scheduledFor`.
    case schedule
    /// `baton resume` of `parentRunID`.
    case resume
    /// `baton prompt`: one chat turn from the shell.
    case prompt
    /// `baton chat`: an interactive conversation, one run per session.
    case chat
}

/// Where a run stands.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, succeeded, failed, cancelled
    /// Stored by whoever finishes a dead run, or shown for a run still marked `running` whose
    /// process on this host is gone (killed, crashed, machine restarted).
    case interrupted
    /// Stopped at a review step until someone decides (`baton review`); not sealed: the same run
    /// goes on (`running` again) when `baton resume`, the console or the scheduler continues it.
    case waiting

    /// Whether the run has ended or stopped (every status but `running`).
    public var isFinished: Bool { self != .running }
}

/// What the engine knows when a run starts; `AuditStore.startRun` turns it into a `RunRecord`.
public struct NewRun: Sendable, Equatable {
    /// The workflow's `name:`.
    public var workflow: String
    /// The workflow file's text, exactly as run (its SHA-256 is computed by the store).
    public var workflowSource: String
    /// The resolved inputs as a JSON object, secrets already masked (`SecretMasker`).
    public var inputsJSON: String
    public var trigger: RunTrigger
    /// The fire time a scheduled run was started for (`trigger == .schedule`).
    public var scheduledFor: Date?
    /// The run being resumed (`trigger == .resume`).
    public var parentRunID: String?
    /// Defaults to the store's clock.
    public var startedAt: Date?
    /// A chosen id; by default the store makes one (`RunID.make`).
    public var id: String?
    /// The workflow file's folder, absolute (`Workflow.absoluteDirectory`), so a resume or rerun
    /// resolves its relative paths there; nil for prompt and chat runs.
    public var workflowDirectory: String?

    public init(workflow: String, workflowSource: String, inputsJSON: String = "{}", trigger: RunTrigger = .manual,
                scheduledFor: Date? = nil, parentRunID: String? = nil, startedAt: Date? = nil, id: String? = nil,
                workflowDirectory: String? = nil) {
        self.workflow = workflow
        self.workflowSource = workflowSource
        self.inputsJSON = inputsJSON
        self.trigger = trigger
        self.scheduledFor = scheduledFor
        self.parentRunID = parentRunID
        self.startedAt = startedAt
        self.id = id
        self.workflowDirectory = workflowDirectory
    }
}

/// A run as stored.
public struct RunRecord: Sendable, Equatable {
    /// Sortable and readable: `20261129-021530-a1b2c3` (UTC start time, 6 random hex digits).
    public var id: String
    public var workflow: String
    public var workflowSource: String
    /// SHA-256 of `workflowSource`'s UTF-8 bytes, lowercase hex.
    public var workflowSHA256: String
    public var inputsJSON: String
    public var trigger: RunTrigger
    public var scheduledFor: Date?
    public var parentRunID: String?
    /// The status to show: the stored one, except that a `running` run whose process on this
    /// host no longer exists reads `interrupted`.
    public var status: RunStatus
    /// The status column as stored.
    public var storedStatus: RunStatus
    public var startedAt: Date
    public var finishedAt: Date?
    public var error: String?
    /// The runner's process id and host name, to tell a live run from an interrupted one: the
    /// process continuing a run that waited for a review, else the one that started it.
    public var pid: Int?
    public var host: String?
    /// Hash of the immutable fields; the first link of the run's chain.
    public var rowHash: String
    /// Set when finished: the number of chained rows and the last one's hash, sealed by `finishHash`.
    public var chainLength: Int?
    public var chainHead: String?
    public var finishHash: String?
    /// The folder the workflow's relative paths resolved against when the run started
    /// (migration 6); nil for runs an older Baton started (their paths resolve against the
    /// working directory, as they did then) and for prompt and chat runs.
    public var workflowDirectory: String? = nil
}
