import Foundation
import Testing
import Template

@Test func jsonKeepsIntegersFloatsAndKeyOrder() throws {
    let value = try Value(json: Data(#"{"z": 1, "a": 1.0, "k": [true, null, "한글\n\u00e9\ud83d\ude00"], "e": 1e2, "n": -3}"#.utf8))
    #expect(value == ["z": 1, "a": 1.0, "k": [true, nil, "한글\né😀"], "e": 100.0, "n": -3])
    #expect(value.dict?.keys == ["z", "a", "k", "e", "n"])
    #expect(value.jsonString() == #"{"z":1,"a":1.0,"k":[true,null,"한글\né😀"],"e":100.0,"n":-3}"#)
}

@Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "[\"\u{01}\"]"])
func invalidJSONIsRejected(_ text: String) {
    #expect(throws: (any Error).self) { try Value(json: Data(text.utf8)) }
}

@Test func pythonPrinting() {
    let value: Value = ["a": [1, 2.5, "it's", nil, true], "b": ["c": "d"]]
    #expect(value.pythonString == #"{'a': [1, 2.5, "it's", None, True], 'b': {'c': 'd'}}"#)
    #expect(Value.double(1e16).pythonString == "1e+16")
    #expect(Value.double(1.0).pythonString == "1.0")
}

@Test func dictionaryKeepsInsertionOrderAndPosition() {
    var dict: ValueDictionary = ["b": 1, "a": 2]
    dict["b"] = 3
    dict["c"] = 4
    #expect(dict.keys == ["b", "a", "c"])
    dict["a"] = nil
    #expect(dict.keys == ["b", "c"])
    #expect(dict["c"] == 4)
    #expect(dict == ["c": 4, "b": 3])
}

@Test func templateRendersManyTimesAndConcurrently() async throws {
    let template = try Template("{% for x in xs %}{{ x * n }},{% endfor %}")
    await withTaskGroup(of: String?.self) { group in
        for n in 0..<8 {
            group.addTask { try? template.render(["xs": [1, 2, 3], "n": .int(n)]) }
        }
        var outputs: [String] = []
        for await output in group { outputs.append(output ?? "failed") }
        #expect(Set(outputs).count == 8)
    }
}
