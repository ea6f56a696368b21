/// The text of a run's error, which the CLI prints after `error: ` and `--json` puts in its
/// `error` field: a step's diagnostic inside it (`t.yaml:6:61: error: ...`) keeps its place but
/// not its own `error:`, so the word appears once.
enum RunErrorText {
    static func make(_ text: String) -> String {
        text.replacingOccurrences(of: ": error: ", with: ": ")
    }
}
