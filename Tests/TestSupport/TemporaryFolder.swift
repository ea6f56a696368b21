import Foundation

/// Folders for tests that write files: each test gets its own, so tests running in parallel
/// never see each other's stores and outputs.
public enum TemporaryFolder {
    /// A new, empty folder `baton-NAME-UUID` in the temporary directory; the test removes it
    /// when done.
    public static func make(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
