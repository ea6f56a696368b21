import Template
import Base
import Foundation
import Testing
import Engine
@testable import Scheduler
@testable import Providers
import Workflow
import TestSupport

/// An `extract` step's schema, as the engine sends it to a local model, steers decoding: the
/// answer has the schema's keys in order and values of the declared types at the first try.
@Test(.requiresSmolLM2) func localExtractFollowsTheStepSchema() async throws {
    let path = try #require(ReferenceModels.smolLM2)
    let model = try LocalLanguageModel(path: path, contextLength: 1024, threads: 2)
    let schema = JSONShape.object([
        .init(name: "name", schema: .string), .init(name: "age", schema: .integer),
        .init(name: "city", schema: .string, optional: true), .init(name: "tone", schema: .enumeration(["formal", "casual"])),
        .init(name: "tags", schema: .list(.string)),
    ])
    let request = ModelRequest(prompt: "Extract the person's facts as JSON: Kim Minsu is 34 and lives in Seoul.",
                               parameters: Sampling(temperature: 0, maxTokens: 64),
                               responseFormat: .json, shape: schema)  // as the engine sends an extract step
    let answer: String = try await model.complete(request, onToken: nil).text
    let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any], "\(answer)")
    #expect(object["name"] is String && object["age"] is Int, "\(answer)")
    #expect(["formal", "casual"].contains(object["tone"] as? String ?? ""), "\(answer)")
    let tagsIsList = object["tags"] is [Any]
    #expect(tagsIsList, "\(answer)")
    // Keys in the schema's order.
    let offsets: [Int] = ["name", "age", "city", "tone", "tags"].compactMap { key in
        answer.range(of: "\"" + key + "\"").map { answer.distance(from: answer.startIndex, to: $0.lowerBound) }
    }
    #expect(offsets.count == 5 && offsets == offsets.sorted(), "\(answer)")
}
