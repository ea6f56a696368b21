import Foundation
import Testing
@testable import Runtime
@Test func scratchTiming() throws {
    guard let path = SmolLM2Locator.shared.path else { return }
    func best(_ label: String, _ body: () throws -> Void) rethrows {
        var m = 1e9
        for _ in 0..<7 { let t0 = Date(); try body(); m = min(m, Date().timeIntervalSince(t0)) }
        print(label, m)
    }
    let file = try GGUFFile(path: path)
    try best("open:") { _ = try GGUFFile(path: path) }
    try best("tokenizer:") { _ = try Tokenizer(file: file) }
}
