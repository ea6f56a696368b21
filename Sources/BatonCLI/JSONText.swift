import Audit

/// Minimal JSON text building for command output (`--json`), keeping floats in their shortest form.
enum JSONText {
    /// A JSON string literal (the audit store's escaping, so `--json` output and stored JSON agree).
    static func quoted(_ string: String) -> String {
        "\"" + JSONEscaping.escape(string) + "\""
    }

    /// A JSON number for a float (`0.5`, `-1e-05`); non-finite values become `null`.
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
