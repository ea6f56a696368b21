/// Bounds on what reading one document may cost, so a zip bomb, a lying length or a deeply nested
/// table ends in a clear error instead of exhausting memory or time.
public struct DocumentLimits: Sendable, Equatable {
    /// The largest input file.
    public var maximumFileBytes: Int
    /// The most bytes all inflated entries (or streams) of one document may add up to.
    public var maximumTotalBytes: Int
    /// The most bytes one inflated entry or stream may have.
    public var maximumEntryBytes: Int
    /// The largest inflated/compressed ratio for entries over `ratioFloorBytes`.
    public var maximumRatio: Int
    /// Entries that inflate to fewer bytes than this are exempt from the ratio check (small XML
    /// parts compress very well).
    public var ratioFloorBytes: Int
    /// The deepest nesting of tables (or XML elements / PDF objects) a reader follows.
    public var maximumDepth: Int
    /// The most entries a container may list.
    public var maximumEntries: Int

    public init(maximumFileBytes: Int = 512 << 20, maximumTotalBytes: Int = 1 << 30, maximumEntryBytes: Int = 512 << 20,
                maximumRatio: Int = 200, ratioFloorBytes: Int = 1 << 20, maximumDepth: Int = 64, maximumEntries: Int = 65_536) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumTotalBytes = maximumTotalBytes
        self.maximumEntryBytes = maximumEntryBytes
        self.maximumRatio = maximumRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maximumDepth = maximumDepth
        self.maximumEntries = maximumEntries
    }

    /// The defaults: generous for real office files, far below what would hurt the machine.
    public static let standard = DocumentLimits()
}
