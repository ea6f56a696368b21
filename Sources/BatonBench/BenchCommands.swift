import CommandKit

/// `baton-bench` (or `baton bench`): benchmarks that print medians and ratios against a reference
/// run on the same machine. Speed targets live here, never in timed unit tests. Build with
/// `-c release`.
struct BenchCommands: GroupCommand {
    static let name = "bench"
    static let abstract = "Run a benchmark (release build) and print medians and ratios."
    static let subcommands: [any Command.Type] = [
        BenchAuditCommand.self,
        TokenizerBench.self,
        RetrievalBench.self,
        TemplateBench.self,
        ValidateBench.self,
        EngineBench.self,
        RuntimeBench.self,
        PrefixBench.self,
        DocumentsBench.self,
        ConsoleBench.self,
        PromptBench.self,
        TrainBench.self,
    ]
}
