import Foundation
import Testing
import TestSupport

/// `baton chat` with stdin not a terminal: one message a line until the end of input, the whole
/// conversation sent each turn, kept in the store and continued by `--continue`.
@Suite struct ChatCLITests {
    @Test func linesAreTurnsAndTheConversationContinuesFromTheStore() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        let model = "\(server.baseURL.absoluteString)#small"
        let first = try home.baton(["chat", "-m", model, "--system", "짧게 답하세요"], stdin: "안녕하세요\n\n두 번째 질문\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "echo: 안녕하세요\necho: 두 번째 질문\n")
        let second = try home.baton(["chat", "--continue"], stdin: "세 번째\n/exit\nnot sent\n")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "echo: 세 번째\n")

        let bodies = server.bodies()
        #expect(bodies.count == 3)
        let last = try #require(bodies.last?["messages"] as? [[String: String]])
        #expect(last == [
            ["role": "system", "content": "짧게 답하세요"],
            ["role": "user", "content": "안녕하세요"], ["role": "assistant", "content": "echo: 안녕하세요"],
            ["role": "user", "content": "두 번째 질문"], ["role": "assistant", "content": "echo: 두 번째 질문"],
            ["role": "user", "content": "세 번째"],
        ])
        #expect(bodies.last?["model"] as? String == "small")

        let runs = try home.baton(["runs", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
        #expect(list.map { $0["trigger"] as? String } == ["chat", "chat"])
        #expect(list[0]["parent_run_id"] as? String == list[1]["id"] as? String)
        #expect(list.map { $0["status"] as? String } == ["succeeded", "succeeded"])
    }

    @Test func continuingWithoutAChatIsAnError() throws {
        let home = try PromptHome()
        let result = try home.baton(["chat", "--continue"], stdin: "hi\n")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: no chat to continue in "))
    }
}
