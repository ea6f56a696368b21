import Engine
import Foundation
import Workflow

/// Watches a folder of workflow files (`*.yaml`, `*.yml`, not recursive) by polling: a file whose
/// modification time or size changed is read again, and reloaded when its bytes changed.
public struct WorkflowDirectory: Sendable {
    /// What changed since the last poll.
    public enum Change: Sendable {
        case loaded(file: String, workflow: Workflow)
        /// The file exists but does not load; `message` is its first diagnostics.
        case invalid(file: String, message: String)
        case removed(file: String)
    }

    public let path: String
    private var stamps: [String: Stamp] = [:]

    private struct Stamp: Sendable, Equatable {
        var modified: Date
        var size: Int
        var bytes: Data
    }

    public init(path: String) { self.path = path }

    /// Looks at the folder once; the first poll reports every file as loaded (or invalid).
    public mutating func poll() -> [Change] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .filter { !$0.hasPrefix(".") }
            .sorted()
        var changes: [Change] = []
        for name in Set(stamps.keys).subtracting(names).sorted() {
            stamps[name] = nil
            changes.append(.removed(file: name))
        }
        for name in names {
            let full = (path as NSString).appendingPathComponent(name)
            guard let attributes = try? manager.attributesOfItem(atPath: full),
                  (attributes[.type] as? FileAttributeType) != .typeDirectory else { continue }
            let modified = attributes[.modificationDate] as? Date ?? .distantPast
            let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
            if let old = stamps[name], old.modified == modified, old.size == size { continue }
            guard let bytes = manager.contents(atPath: full) else { continue }
            let unchanged = stamps[name]?.bytes == bytes
            stamps[name] = Stamp(modified: modified, size: size, bytes: bytes)
            if unchanged { continue }
            do {
                changes.append(.loaded(file: name, workflow: try WorkflowLoader.load(bytes: bytes, file: full)))
            } catch {
                let first = error.description.split(separator: "\n").first.map(String.init) ?? error.description
                changes.append(.invalid(file: name, message: first))
            }
        }
        return changes
    }
}
