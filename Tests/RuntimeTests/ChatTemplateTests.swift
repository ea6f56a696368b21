import Base
import Foundation
import Testing
import TestSupport
import Template
@testable import Runtime

/// jinja2's renderings (sandboxed, trim_blocks and lstrip_blocks, as transformers and
/// llama-cpp-python) of four chat templates, SmolLM2's among them, for ten conversations,
/// written by Fixtures/make_chat_fixtures.py.
enum ChatFixtures {
    struct Case: Decodable {
        var template: String
        var conversation: Int
        var add_generation_prompt: Bool
        var expected: String?
        var error: String?
    }
    struct File: Decodable {
        var bos_token: String
        var eos_token: String
        var templates: [String: String]
        var conversations: [[[String: String]]]
        var cases: [Case]
    }

    static let file: File? = {
        let url = MalformedFixtures.directory.deletingLastPathComponent().appendingPathComponent("chat/chat_templates.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(File.self, from: data)
    }()
}

@Test func chatTemplatesRenderAsJinja2Does() throws {
    let fixture = try #require(ChatFixtures.file)
    #expect(fixture.cases.count == 80)
    for item in fixture.cases {
        let source = try #require(fixture.templates[item.template])
        let template = try ChatTemplate(source: source, bosToken: fixture.bos_token, eosToken: fixture.eos_token, file: "model.gguf")
        let messages = fixture.conversations[item.conversation].map { ChatMessage(role: ChatMessage.Role(rawValue: $0["role"] ?? "") ?? .user, content: $0["content"] ?? "") }
        do {
            let rendered = try template.render(messages, addGenerationPrompt: item.add_generation_prompt)
            #expect(rendered == item.expected, "\(item.template) conversation \(item.conversation)")
            #expect(item.error == nil)
        } catch {
            #expect(item.error != nil, "\(item.template) conversation \(item.conversation): \(error)")
            #expect(error.description.hasSuffix(item.error ?? "-"), "\(error)")
        }
    }
}

@Test(.requiresSmolLM2) func smolLM2TemplateComesFromTheModel() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let file = try GGUFFile(path: path)
    let template = try ChatTemplate(file: file, tokenizer: try Tokenizer(file: file))
    #expect(!template.isFallback)
    #expect(template.source == ChatFixtures.file?.templates["smollm2"])
    #expect(template.bosToken == "<|im_start|>")
    #expect(template.eosToken == "<|im_end|>")
    let prompt = try template.render([ChatMessage(role: .user, content: "안녕")])
    #expect(prompt == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\n안녕<|im_end|>\n<|im_start|>assistant\n")
}

@Test func missingTemplateFallsBackToChatMLWithAWarning() throws {
    let template = try ChatTemplate(source: nil, bosToken: "<s>", eosToken: "</s>", file: "/m/tiny.gguf")
    #expect(template.isFallback)
    #expect(template.warning == "/m/tiny.gguf: warning: the model has no tokenizer.chat_template; using ChatML")
    let prompt = try template.render([ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi")])
    #expect(prompt == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
}

@Test func brokenTemplateNamesTheModelFile() {
    #expect(throws: RuntimeError(file: "/m/bad.gguf", message: "chat template: tokenizer.chat_template:1:1: error: unclosed '{% for %}': expected '{% else %}' or '{% endfor %}' before the end of the template")) {
        _ = try ChatTemplate(source: "{% for m in x %}", bosToken: "", eosToken: "", file: "/m/bad.gguf")
    }
}

@Test(arguments: [
    // (source, trim, lstrip, expected)
    ("{% if true %}\nyes\n{% endif %}\nafter", true, false, "yes\nafter"),
    ("{% if true %}\nyes\n{% endif %}\nafter", false, false, "\nyes\n\nafter"),
    ("  {% if true %}x{% endif %}", false, true, "x"),
    ("a  {% if true %}x{% endif %}", false, true, "a  x"),
    ("line\n\t {% if true %}x\n  {% endif %}y", true, true, "line\nx\ny"),
    ("  {{ 1 }}\n{% if true +%}\nz{% endif %}", true, true, "  1\n\nz"),
    ("  {%+ if true %}x{% endif %}", true, true, "  x"),
    ("{# note #}\nA\n  {# two #}\nB", true, true, "A\nB"),
])
func trimAndLstripBlocksFollowJinja2(source: String, trim: Bool, lstrip: Bool, expected: String) throws {
    let template = try Template(source, options: Template.Options(trimBlocks: trim, lstripBlocks: lstrip))
    #expect(try template.render([:]) == expected)
}
