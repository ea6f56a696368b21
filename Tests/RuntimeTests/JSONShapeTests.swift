import Template
import Base
import Foundation
import Testing
import TestSupport
@testable import Runtime

/// A shape like the ones `extract` steps declare: ordered keys, typed values, an enumeration, a
/// list, a nested object and a nullable member.
let briefShape = JSONShape.object([
    .init(name: "client", schema: .string),
    .init(name: "budget", schema: .integer),
    .init(name: "tone", schema: .enumeration(["친근함", "formal"])),
    .init(name: "channels", schema: .list(.string)),
    .init(name: "score", schema: .number, optional: true),
    .init(name: "meta", schema: .object([.init(name: "ok", schema: .boolean)])),
])

@Suite("JSON shape: schema-constrained decoding")
struct JSONShapeTests {
    @Test("a JSON Schema document becomes a shape, properties in document order, unlisted ones nullable")
    func parsesTheSchemaSubset() {
        let schema = #"{"type":"object","properties":{"client":{"type":"string"},"budget":{"type":"integer"},"tone":{"type":"string","enum":["친근함","formal"]},"channels":{"type":"array","items":{"type":"string"}},"score":{"type":"number"},"meta":{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}},"required":["client","budget","tone","channels","meta"]}"#
        #expect(JSONShape(jsonSchema: schema) == briefShape)
    }

    @Test("anything outside the subset gives no shape (plain JSON-object decoding instead)", arguments: [
        #"{"type":"null"}"#, #"{"anyOf":[{"type":"string"}]}"#, #"{"type":"array"}"#, #"{"type":"object"}"#,
        #"{"type":"string","enum":[1,2]}"#, #"{"type":["string","null"]}"#, "not json",
    ])
    func refusesTheRest(schema: String) {
        #expect(JSONShape(jsonSchema: schema) == nil)
    }

    @Test("text that follows the shape is accepted, byte by byte and whole", arguments: [
        #"{"client": "한빛식품", "budget": 50000000, "tone": "친근함", "channels": ["tv", "유튜브"], "score": -0.5e+3, "meta": {"ok": true}}"#,
        "{\n  \"client\": \"A \\\"B\\\" \\u00e9\",\n  \"budget\": 0,\n  \"tone\": \"formal\",\n  \"channels\": [],\n  \"score\": null,\n  \"meta\": {\"ok\": false}\n}",
        #"{"client": "x", "budget": -12, "tone": "fo"#,
    ])
    func acceptsTheShape(text: String) {
        var validator = JSONShapeValidator(shape: briefShape)
        let accepted = validator.feed(Array(text.utf8))
        #expect(accepted, "\(text)")
        if text.hasSuffix("}") { #expect(validator.isComplete) }
    }

    @Test("text that leaves the shape is refused at the first wrong byte", arguments: [
        (#"{"budget""#, #"{""#),                                                    // keys come in order
        (#"{"client": 1"#, #"{"client": "#),                                        // a string, not a number
        (#"{"client": "x", "budget": 1.5"#, #"{"client": "x", "budget": 1"#),       // an integer has no fraction
        (#"{"client": "x", "budget": 1e3"#, #"{"client": "x", "budget": 1"#),
        (#"{"client": "x", "budget": 1, "tone": "warm""#, #"{"client": "x", "budget": 1, "tone": ""#),
        (#"{"client": "x", "budget": 1, "tone": "formal!""#, #"{"client": "x", "budget": 1, "tone": "formal"#),
        (#"{"client": null"#, #"{"client": "#),                                     // not nullable
        (#"{"client": "x"}"#, #"{"client": "x""#),                                  // members missing
        (#"{"client": "x", "budget": 1, "tone": "formal", "channels": ["a",]"#, #"{"client": "x", "budget": 1, "tone": "formal", "channels": ["a","#),
        (#"{"client": "x", "budget": 1, "tone": "formal", "channels": [], "score": null, "meta": {"ok": true}, "#, #"{"client": "x", "budget": 1, "tone": "formal", "channels": [], "score": null, "meta": {"ok": true}"#),
        (#"{"client": "x", "budget": 1, "tone": "formal", "channels": [], "score": null, "meta": {"ok": true}} "#, #"{"client": "x", "budget": 1, "tone": "formal", "channels": [], "score": null, "meta": {"ok": true}}"#),
        ("[", ""),
    ])
    func refusesTheRest(text: String, acceptedPrefix: String) {
        var validator = JSONShapeValidator(shape: briefShape)
        let prefixAccepted = validator.feed(Array(acceptedPrefix.utf8))
        #expect(prefixAccepted, "prefix \(acceptedPrefix)")
        var whole = JSONShapeValidator(shape: briefShape)
        let wholeAccepted = whole.feed(Array(text.utf8))
        #expect(!wholeAccepted, "\(text)")
    }

    @Test("output cut off by the token limit is closed into JSON that parses", arguments: [
        ("{", "{\"client\":null}"),
        (#"{"cli"#, #"{"client":null}"#),
        (#"{"client": "한"#, #"{"client": "한"}"#),
        (#"{"client": "x", "budget": -"#, #"{"client": "x", "budget": -0}"#),
        (#"{"client": "x", "budget": 7,"#, #"{"client": "x", "budget": 7,"tone":null}"#),
        (#"{"client": "x", "budget": 7, "tone": "친"#, #"{"client": "x", "budget": 7, "tone": "친근함"}"#),
        (#"{"client": "x", "budget": 7, "tone": "formal", "channels": ["a", "b"#, #"{"client": "x", "budget": 7, "tone": "formal", "channels": ["a", "b"]}"#),
        (#"{"client": "x", "budget": 7, "tone": "formal", "channels": [], "score": nu"#, #"{"client": "x", "budget": 7, "tone": "formal", "channels": [], "score": null}"#),
        (#"{"client": "x", "budget": 7, "tone": "formal", "channels": [], "score": 1, "meta": {"ok": t"#, #"{"client": "x", "budget": 7, "tone": "formal", "channels": [], "score": 1, "meta": {"ok": true}}"#),
    ])
    func cutOffOutputIsClosed(prefix: String, closed: String) throws {
        var validator = JSONShapeValidator(shape: briefShape)
        let accepted = validator.feed(Array(prefix.utf8))
        #expect(accepted)
        let text = prefix + validator.closingSuffix()
        #expect(text == closed)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    @Test("SmolLM2 writes the shape's keys and types for every prompt", .requiresSmolLM2)
    func smolLM2FollowsTheShape() throws {
        let model = try #require(ChatModelFixture.model)
        let shape = JSONShape.object([
            .init(name: "subject", schema: .string), .init(name: "count", schema: .integer),
            .init(name: "tone", schema: .enumeration(["positive", "neutral", "negative"])), .init(name: "keywords", schema: .list(.string)),
        ])
        for text in extractionPrompts.prefix(8) {
            let messages = [ChatMessage(role: .system, content: "Extract subject, count, tone and keywords as JSON."), ChatMessage(role: .user, content: text)]
            let result = try model.complete(ChatRequest(messages: messages, sampling: .greedy, maxTokens: 80, jsonShape: shape))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.text.utf8)) as? [String: Any], "\(result.text)")
            #expect(object["subject"] is String, "\(result.text)")
            #expect(object["count"] is Int, "\(result.text)")
            #expect(["positive", "neutral", "negative"].contains(object["tone"] as? String ?? ""), "\(result.text)")
            let keywordsIsList = object["keywords"] is [Any]
            #expect(keywordsIsList, "\(result.text)")
            print("shape-constrained: \(text) -> \(result.text)")
        }
    }
}
