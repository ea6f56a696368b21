import Foundation
import Testing
import Engine
import Workflow

/// An `extract` step's schema, as the engine sends it to a local model, steers decoding: the
/// answer has the schema's keys in order and values of the declared types at the first try.
@Test func localExtractFollowsTheStepSchema() async throws {
    guard let path = LocalSmolLM2.path else { print(LocalSmolLM2.skipReason); return }
    let model = try LocalLanguageModel(path: path, contextLength: 1024, threads: 2)
    let schema = OutputSchema.object([
        .init(name: "name", schema: .string), .init(name: "age", schema: .integer),
        .init(name: "city", schema: .string, optional: true), .init(name: "tone", schema: .enumeration(["formal", "casual"])),
        .init(name: "tags", schema: .list(.string)),
    ])
    let request = ModelRequest(prompt: "Extract the person's facts as JSON: Kim Minsu is 34 and lives in Seoul.",
                               parameters: SamplingParameters(temperature: 0, maxTokens: 64),
                               responseFormat: .jsonSchema(name: "person", schema: schema.jsonSchema))
    let response = try await model.complete(request, onToken: nil)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any], "\(response.text)")
    #expect(object["name"] is String && object["age"] is Int, "\(response.text)")
    #expect(["formal", "casual"].contains(object["tone"] as? String ?? ""), "\(response.text)")
    #expect(object["tags"] is [Any], "\(response.text)")
    // Keys in the schema's order.
    let keys = ["\"name\"", "\"age\"", "\"city\"", "\"tone\"", "\"tags\""].map { response.text.range(of: $0)?.lowerBound }
    #expect(keys.allSatisfy { $0 != nil } && keys.map { $0! } == keys.map { $0! }.sorted(), "\(response.text)")
}
