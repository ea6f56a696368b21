import Foundation
import Template
import Workflow

/// `extract`: the answer must be JSON that follows the step's schema; a refused answer is
/// followed up with the repair recipe naming every problem with its JSON path.
struct ExtractAnswerCheck: AnswerCheck {
    var schema: JSONShape
    var language: Recipes.Language

    func judge(_ text: String) -> (verdict: AnswerVerdict, extra: ValueDictionary) {
        do throws(ExtractedJSON.Problem) {
            return (.accept(try ExtractedJSON.parse(text, schema: schema)), [:])
        } catch {
            let repair = (try? Recipes.render(Recipes.extractRepair(language), name: "recipe extract repair",
                                              ["problem": .string(error.message), "schema": .string(schema.jsonSchemaAllowingNull)])) ?? error.message
            return (.followUp(error: "invalid_json: \(error.message)", reason: "invalid JSON: \(error.message)", message: repair), [:])
        }
    }
}
