import Foundation
import SQLite

/// The scheduler's memory: for each schedule (a key the scheduler chooses, e.g.
/// `weekly-report.yaml#0`), the last fire time it started a run for. Kept in the audit store so a
/// restarted daemon neither repeats nor loses a fire time.
extension AuditStore {
    /// The last fire time recorded for `key`, or `nil` when it never fired.
    public func lastFire(schedule key: String) throws(AuditError) -> Date? {
        try locked {
            try connection.scalar("SELECT last_fire FROM schedule_state WHERE schedule_key = ?", [.text(key)]).string.flatMap(AuditTime.parse)
        }
    }

    /// Records `time` as the last fire time of `key` (replacing what was there).
    public func setLastFire(schedule key: String, at time: Date) throws(AuditError) {
        try locked {
            try connection.execute("""
                INSERT INTO schedule_state (schedule_key, last_fire, updated_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (schedule_key) DO UPDATE SET last_fire = ?2, updated_at = ?3
                """, [.text(key), .text(AuditTime.format(time)), .text(AuditTime.format(now()))])
        }
    }

    /// Atomically claims fire time `time` for `key`: true (and recorded) when `time` is later than
    /// the last recorded fire, false when it was already claimed, by this process or another.
    public func claimFire(schedule key: String, at time: Date) throws(AuditError) -> Bool {
        try locked {
            try connection.transaction {
                let text = AuditTime.format(time)
                if let last = try connection.scalar("SELECT last_fire FROM schedule_state WHERE schedule_key = ?", [.text(key)]).string,
                   last >= text {
                    return false
                }
                try connection.execute("""
                    INSERT INTO schedule_state (schedule_key, last_fire, updated_at) VALUES (?1, ?2, ?3)
                    ON CONFLICT (schedule_key) DO UPDATE SET last_fire = ?2, updated_at = ?3
                    """, [.text(key), .text(text), .text(AuditTime.format(now()))])
                return true
            }
        }
    }

    /// Every schedule's last fire time.
    public func scheduleStates() throws(AuditError) -> [String: Date] {
        try locked {
            var states: [String: Date] = [:]
            for row in try connection.query("SELECT schedule_key, last_fire FROM schedule_state") {
                if let key = row.string("schedule_key"), let date = row.string("last_fire").flatMap(AuditTime.parse) { states[key] = date }
            }
            return states
        }
    }
}
