import Foundation
import SQLite

extension AuditStore {
    /// Stops a running run at its review steps: status `waiting`, not sealed, no runner. The same
    /// run goes on later (`claimWaitingRun`), so its chain stays open for the attempts after the
    /// review; `finishRun` seals it when it ends.
    public func markWaiting(id: String) throws(AuditError) {
        try locked {
            try connection.transaction {
                guard let run = try fetchRun(id) else { throw AuditError.unknownRun(id) }
                if run.finishHash != nil { throw AuditError.runFinished(id: id, status: run.storedStatus) }
                try connection.execute("UPDATE runs SET status = 'waiting', runner_pid = NULL, runner_host = NULL WHERE id = ?", [.text(id)])
            }
        }
    }

    /// Claims a `waiting` run for this process so that it continues in place: the status turns
    /// `running` with this process as its runner, in one write transaction, so of two processes
    /// that try at once (`baton resume`, the console, the scheduler) exactly one wins; the other
    /// gets `notWaiting` naming the winner.
    public func claimWaitingRun(id: String) throws(AuditError) -> RunRecord {
        try locked {
            try connection.transaction {
                guard let run = try fetchRun(id) else { throw AuditError.unknownRun(id) }
                guard run.storedStatus == .waiting, run.finishHash == nil else {
                    throw AuditError.notWaiting(run: id, status: run.status,
                                                runner: "process \(run.pid.map(String.init) ?? "?") on \(run.host ?? "?")")
                }
                try connection.execute("UPDATE runs SET status = 'running', runner_pid = ?, runner_host = ? WHERE id = ?",
                                       [.integer(Int64(runner.pid)), .text(runner.host), .text(id)])
                guard let claimed = try fetchRun(id) else { throw AuditError.unknownRun(id) }
                return claimed
            }
        }
    }
}
