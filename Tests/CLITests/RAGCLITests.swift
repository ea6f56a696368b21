import Foundation
import Testing
import TestSupport

/// `rag_query` end to end: `baton ingest` builds the knowledge base, `baton run` searches it and
/// (with `prompt`) asks the loopback server, `baton show` lists the retrieved sources.
@Suite struct RAGCLITests {
    let server: FakeOpenAIServer
    let folder: URL

    init() throws {
        server = try FakeOpenAIServer()
        folder = try TemporaryFolder.make("rag-cli")
    }

    func baton(_ arguments: [String], directory: URL? = nil) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": ""], directory: directory ?? folder)
    }

    /// Ingests three example documents into `.baton/knowledge/agency.db` under the test folder
    /// (where a copy of `Workflows/rag-answer.yaml` in its `Workflows/` looks: `../.baton/...`
    /// from the workflow's folder), sources named as in the repository.
    func ingest(model: String) throws {
        let database = folder.appendingPathComponent(".baton/knowledge/agency.db").path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".baton/knowledge"), withIntermediateDirectories: true)
        let files = ["hanbit-festival-faq.ko.md", "brand-guide-solbit.md", "press-release-aurora-scooter.md"].map { "Examples/knowledge/" + $0 }
        let result = try baton(["ingest", database] + files + ["--model", model], directory: BatonProcess.repository)
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The shipped `rag-answer.yaml`, copied into the test folder's `Workflows/` (a checkout's layout).
    func shippedRAGWorkflow() throws -> String {
        let workflows = folder.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        let copy = workflows.appendingPathComponent("rag-answer.yaml")
        try FileManager.default.copyItem(at: BatonProcess.repository.appendingPathComponent("Workflows/rag-answer.yaml"), to: copy)
        return copy.path
    }

    /// Writes a workflow `name` with the loopback server as model `remote` and the test's
    /// knowledge base as `agency`, then `body` (its `inputs:`, `steps:`, `outputs:`).
    func workflow(_ name: String, _ body: String) throws -> String {
        let path = folder.appendingPathComponent(name + ".yaml").path
        let header = """
            baton: 1
            name: \(name)
            models:
              remote: { provider: openai, base_url: "\(server.baseURL.absoluteString)", model: fake-model }
            knowledge:
              agency: .baton/knowledge/agency.db

            """
        try (header + body).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.requiresMiniLM) func theShippedRAGWorkflowAnswersFromTheRetrievedDocumentsWithSources() throws {
        let model = try #require(ReferenceModels.miniLM)
        try ingest(model: model)
        let workflow = try shippedRAGWorkflow()
        let result = try baton(["run", workflow, "--model", "*=\(server.baseURL.absoluteString)#fake-model", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        #expect(object["status"] as? String == "succeeded")
        let runID = try #require(object["run_id"] as? String)
        let outputs = try #require(object["outputs"] as? [String: Any])
        #expect((outputs["sources"] as? [String])?.first == "Examples/knowledge/hanbit-festival-faq.ko.md")
        #expect((outputs["answer"] as? String)?.contains("출처:\n[1] ") == true)

        // The server got the citation recipe and the prompt with the numbered chunks.
        let messages = try #require(server.bodies().first?["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user"])
        #expect((messages[0]["content"] as? String)?.hasPrefix("당신은 주어진 자료만 근거로 답하는 도우미입니다. 자료에는 [1]부터 [4]까지 번호가 붙어 있습니다.") == true)
        let prompt = try #require(server.prompts().first)
        #expect(prompt.hasPrefix("아래 자료만 근거로 질문에 답하세요."))
        #expect(prompt.contains("(Examples/knowledge/hanbit-festival-faq.ko.md)\n"))
        #expect(prompt.contains("드론 500대가 참여하는 라이트쇼"))
        #expect(prompt.hasSuffix("질문: 한빛시 봄꽃 축제의 드론 라이트쇼는 언제 열리고 비가 오면 어떻게 되나요?\n답변:"))

        // The audit trail: the prompt as sent, the retrieved chunks with scores, verified rows.
        let shown = try json(try baton(["show", runID, "--json"]).stdout)
        let steps = try #require(shown["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["id"] as? String } == ["answer", "cited"])
        // The step's `top_k: 4` is the number of chunks, not a sampling parameter.
        let parameters = try #require(steps[0]["parameters"] as? [String: Any])
        #expect(parameters.keys.sorted() == ["max_tokens", "temperature"])
        let stored = try #require(steps[0]["prompt"] as? String)
        let storedMessages = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [[String: Any]])
        #expect(storedMessages.map { $0["content"] as? String } == messages.map { $0["content"] as? String })
        let extra = try #require(steps[0]["extra"] as? [String: Any])
        #expect(extra["query"] as? String == "한빛시 봄꽃 축제의 드론 라이트쇼는 언제 열리고 비가 오면 어떻게 되나요?")
        let retrieved = try #require(extra["retrieved"] as? [[String: Any]])
        #expect(retrieved.count == 4)
        #expect(retrieved.first.map { Set($0.keys) } == ["chunk", "source", "score"])
        #expect(retrieved.first?["source"] as? String == "Examples/knowledge/hanbit-festival-faq.ko.md")
        #expect(retrieved.allSatisfy { $0["chunk"] is Int && $0["score"] is Double })
        let text = try baton(["show", runID])
        #expect(text.stdout.contains("    retrieved:\n      [1] chunk="))
        #expect(try baton(["audit", "verify"]).status == 0)
    }

    @Test(.requiresMiniLM) func aRAGQueryWithoutPromptOnlySearches() throws {
        let model = try #require(ReferenceModels.miniLM)
        try ingest(model: model)
        let path = try workflow("search-only", """
            inputs:
              question: { type: string }
            steps:
              - { id: find, kind: rag_query, knowledge: agency, query: "{{ inputs.question }}", top_k: 2 }
              - id: list
                kind: template
                template: "{% for doc in steps.find.documents %}{{ loop.index }}. {{ doc.source }} #{{ doc.position }} {{ doc.title }}\\n{% endfor %}"
            outputs:
              joined: "{{ steps.find.output }}"
              list: "{{ steps.list.output }}"
            """)
        let result = try baton(["run", path, "--json", "--input", "question=텀블러를 가져오면 할인해 주나요?"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        let outputs = try #require(object["outputs"] as? [String: Any])
        #expect((outputs["joined"] as? String)?.contains("400원") == true)
        #expect((outputs["list"] as? String)?.hasPrefix("1. Examples/knowledge/brand-guide-solbit.md #") == true)
        #expect(server.requestCount == 0)
        let runID = try #require(object["run_id"] as? String)
        let steps = try #require(try json(try baton(["show", runID, "--json"]).stdout)["steps"] as? [[String: Any]])
        #expect(steps.first?["prompt"] as? String == "텀블러를 가져오면 할인해 주나요?")
        #expect(((steps.first?["extra"] as? [String: Any])?["retrieved"] as? [[String: Any]])?.count == 2)
        #expect(try baton(["audit", "verify"]).status == 0)
    }

    /// A `for_each` of questions: one search and one answer per item, the recipe in the language
    /// of each question, and `documents` as the list per item.
    @Test(.requiresMiniLM) func aForEachRAGQueryAnswersEachItemWithItsOwnDocuments() throws {
        let model = try #require(ReferenceModels.miniLM)
        try ingest(model: model)
        let path = try workflow("rag-each", """
            steps:
              - id: ask
                kind: rag_query
                for_each: ["How far does the scooter go on one charge?", "드론 라이트쇼는 언제 하나요?"]
                knowledge: agency
                query: "{{ item }}"
                top_k: 1
                prompt: "{{ documents[0].source }} | {{ query }}"
            outputs:
              firsts: "{{ steps.ask.documents | map('first') | map(attribute='source') | join(', ') }}"
            """)
        let result = try baton(["run", path, "--json", "--concurrency", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = try #require(try json(result.stdout)["outputs"] as? [String: Any])
        #expect(outputs["firsts"] as? String == "Examples/knowledge/press-release-aurora-scooter.md, Examples/knowledge/hanbit-festival-faq.ko.md")
        #expect(server.prompts() == ["Examples/knowledge/press-release-aurora-scooter.md | How far does the scooter go on one charge?",
                                     "Examples/knowledge/hanbit-festival-faq.ko.md | 드론 라이트쇼는 언제 하나요?"])
        let system = server.bodies().compactMap { ($0["messages"] as? [[String: Any]])?.first?["content"] as? String }
        #expect(system == ["""
            You answer from the given documents only. They are numbered [1] to [1].
            Cite the document each sentence relies on as [1], [2]; if the documents do not contain the answer, say so instead of guessing.
            """, """
            당신은 주어진 자료만 근거로 답하는 도우미입니다. 자료에는 [1]부터 [1]까지 번호가 붙어 있습니다.
            문장마다 근거가 된 자료 번호를 [1], [2]처럼 붙이고, 자료에 없는 내용은 지어내지 말고 자료에서 찾을 수 없다고 답하세요.
            """])
    }

    /// `baton resume` reuses the finished search, and the steps it reruns still read its documents.
    @Test(.requiresMiniLM) func resumeRepublishesTheDocumentsOfAReusedSearch() throws {
        let model = try #require(ReferenceModels.miniLM)
        try ingest(model: model)
        let path = try workflow("rag-resume", """
            steps:
              - { id: find, kind: rag_query, knowledge: agency, query: "battery range of the scooter", top_k: 1 }
              - { id: use, kind: generate, model: remote, prompt: "{{ steps.find.documents[0].source }} [[500x1]]" }
            """)
        let failed = try baton(["run", path, "--json"])
        #expect(failed.status == 1)
        let runID = try #require(try json(failed.stdout)["run_id"] as? String)
        let resumed = try baton(["resume", runID, "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(server.prompts() == ["Examples/knowledge/press-release-aurora-scooter.md [[500x1]]",
                                     "Examples/knowledge/press-release-aurora-scooter.md [[500x1]]"])
        #expect(try baton(["audit", "verify"]).status == 0)
    }

    @Test func aMissingKnowledgeDatabaseFailsTheStepNamingHowToBuildIt() throws {
        let workflow = try shippedRAGWorkflow()
        let result = try baton(["run", workflow, "--model", "*=\(server.baseURL.absoluteString)#fake-model"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("knowledge base 'agency': no such knowledge database '../.baton/knowledge/agency.db' (build it with 'baton ingest .baton/knowledge/agency.db Examples/knowledge')"))
        #expect(server.requestCount == 0)
    }
}
