import Foundation

/// The committed reference fixtures (made by `Fixtures/make_*.py`).
enum DocumentFixtures {
    static let directory: URL = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") ?? URL(fileURLWithPath: "Fixtures")

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }

    static func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relative).path)
    }
}
