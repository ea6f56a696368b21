import Foundation
import Testing
@testable import Runtime

@Test(arguments: [
    "{", "{}", " {\"a\"", "{\"a\": 1", "{\"a\": -0.5e+3, \"b\": [true, false, null, \"x\\u00e9\\n\"]}",
    "{\"이름\": \"김민수\", \"나이\": 34}", "{\"a\": {\"b\": []}}", "{\"a\":\"\\\\\"}",
])
func jsonPrefixesAreAccepted(text: String) {
    var validator = JSONPrefixValidator()
    let accepted = validator.feed(Array(text.utf8))
    #expect(accepted, "\(text)")
}

@Test(arguments: [
    "[1]", "\"a\"", "{a", "{\"a\" 1", "{\"a\": 01", "{\"a\": tru e", "{\"a\": 1,}", "{\"a\": [1,]}", "{}}", "{} x",
    "{\"a\": \"\u{01}\"}", "{\"a\": \"\\x\"}", "{\"a\": -}", "{\"a\": 1.}", "{\"a\": ]}",
])
func nonJSONIsRefused(text: String) {
    var validator = JSONPrefixValidator()
    let accepted = validator.feed(Array(text.utf8))
    #expect(!accepted, "\(text)")
}

@Test func whitespaceRunsAreCapped() {
    var validator = JSONPrefixValidator()
    let accepted = validator.feed(Array(("{" + String(repeating: " ", count: 16)).utf8))
    let oneMore = validator.feed(UInt8(ascii: " "))
    #expect(accepted)
    #expect(!oneMore)
}

@Test(arguments: [
    ("{", "{}"), ("{\"a", "{\"a\":null}"), ("{\"a\"", "{\"a\":null}"), ("{\"a\":", "{\"a\":null}"), ("{\"a\": \"x", "{\"a\": \"x\"}"),
    ("{\"a\": [1, tr", "{\"a\": [1, true]}"), ("{\"a\": -", "{\"a\": -0}"), ("{\"a\": 1,", "{\"a\": 1,\"\":null}"),
    ("{\"a\": \"\\", "{\"a\": \"\\\\\"}"), ("{\"a\": \"\\u00", "{\"a\": \"\\u0000\"}"), ("{\"a\": 2.", "{\"a\": 2.0}"), ("{}", "{}"),
])
func cutOffJSONIsClosed(prefix: String, closed: String) throws {
    var validator = JSONPrefixValidator()
    let accepted = validator.feed(Array(prefix.utf8))
    #expect(accepted)
    let text = prefix + validator.closingSuffix()
    #expect(text == closed)
    #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
}

@Test func maskKeepsOnlyTokensThatContinueTheJSON() {
    let pieces: [[UInt8]] = ["{", "}", "hello", "\"", "{\"", "", " "].map { Array($0.utf8) }
    var mask = JSONTokenMask(pieces: pieces, endTokens: [5], keep: 3)
    let logits: [Float] = [1, 5, 9, 2, 3, 0, 4]
    let first = logits.withUnsafeBufferPointer { mask.apply($0) }
    // Valid starts: "{", "{\"", " " (the best three); "}" "hello" "\"" and the end token are not.
    let none = -Float.infinity
    let expectedFirst: [Float] = [1, none, none, none, 3, none, 4]
    #expect(first == expectedFirst)
    mask.accept(0)
    mask.accept(1)
    let done = logits.withUnsafeBufferPointer { mask.apply($0) }
    let expectedDone: [Float] = [none, none, none, none, none, 0, none]
    #expect(done == expectedDone)
}
