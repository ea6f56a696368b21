import CommandKit

/// Every `baton` subcommand, in the order `baton --help` lists them.
/// Add a command by writing its file and one line here.
let allCommands: [any Command.Type] = [
    VersionCommand.self,
    ValidateCommand.self,
    RenderCommand.self,
    RunCommand.self,
    ResumeCommand.self,
    RerunCommand.self,
    ReviewCommand.self,
    ServeCommand.self,
    DiffCommand.self,
    GraphCommand.self,
    ModelCommand.self,
    PromptCommand.self,
    ChatCommand.self,
    ModelsCommand.self,
    UsageCommand.self,
    RunsCommand.self,
    ShowCommand.self,
    ExportCommand.self,
    AuditCommand.self,
    TextCommand.self,
    IngestCommand.self,
    SearchCommand.self,
    EmbedCommand.self,
    BenchCommand.self,
    TrainCommand.self,
    ScheduleCommand.self,
    SchedulerCommand.self,
    CompletionCommand.self,
]
