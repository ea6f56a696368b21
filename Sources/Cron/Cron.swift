/// The Cron module. See Documentation/Architecture.md.
public enum CronModule {
    /// The module's name, used in diagnostics.
    public static let name = "Cron"
}
