import Foundation
import Workflow

/// Loaded workflows by path, kept while the file's size and modification time stay the same:
/// the workflows page and the run form would otherwise parse every file on every request.
///
/// `@unchecked Sendable`: `entries` is only touched under `lock`.
final class WorkflowCache: @unchecked Sendable {
    private struct Entry {
        var size: Int
        var modified: Date
        var workflow: Workflow?
        var problems: String?
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func load(_ path: String) -> (workflow: Workflow?, problems: String?) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = attributes?[.modificationDate] as? Date ?? .distantPast
        if let entry = lock.withLock({ entries[path] }), entry.size == size, entry.modified == modified {
            return (entry.workflow, entry.problems)
        }
        var entry = Entry(size: size, modified: modified)
        do {
            entry.workflow = try WorkflowLoader.load(path: path)
        } catch {
            entry.problems = String(describing: error)
        }
        lock.withLock { entries[path] = entry }
        return (entry.workflow, entry.problems)
    }
}
