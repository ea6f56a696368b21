import Base
import Foundation
import Providers
import Audit
import Retrieval
import Template
import Workflow

/// What a `rag_query` step found: the rendered query and the chunks, as templates and the audit
/// store see them.
struct RAGRetrieval: Sendable {
    var query: String
    var chunks: [RetrievedChunk]

    /// `steps.X.documents` and a prompt's `documents`: `{text, source, title, score, position}`,
    /// in rank order, so `loop.index` is the number an answer cites.
    var documents: Value {
        .list(chunks.map {
            .dict(["text": .string($0.text), "source": .string($0.source), "title": .string($0.title),
                   "score": .double($0.score), "position": .int($0.position)])
        })
    }

    /// The output of a `rag_query` without `prompt`: the texts, joined by blank lines.
    var joinedText: String { chunks.map(\.text).joined(separator: "\n\n") }

    /// The attempt's `extra_json`: `{"query": …, "retrieved": [{"chunk": 12, "source": "…", "score": 0.83}]}`
    /// (`baton show` lists the items numbered as the answer cites them).
    var auditJSON: String {
        Value.dict(["query": .string(query), "retrieved": .list(chunks.map {
            .dict(["chunk": .int(Int($0.chunkID)), "source": .string($0.source), "score": .double(($0.score * 10_000).rounded() / 10_000)])
        })]).jsonString()
    }
}

extension Engine {
    /// Renders the step's query, searches its knowledge base (opened once per process, see
    /// `KnowledgeBaseCache`) and publishes the documents as `steps.X.documents`.
    func retrieve(_ action: RAGQueryAction, key: StepKey, context: [String: Value], _ state: RunState) throws -> RAGRetrieval {
        let query: String
        do {
            query = try action.query.render(context)
        } catch {
            throw workflow.attachingSource(to: error)
        }
        guard let spec = workflow.knowledgeBase(action.knowledge) else {
            throw ModelError(.configuration, "rag_query: unknown knowledge base '\(action.knowledge)'")
        }
        let base = try KnowledgeBaseCache.shared.base(for: spec, in: workflow.directory)
        let chunks = try base.search(query: query, topK: action.topK, mode: .hybrid)
        let found = RAGRetrieval(query: query, chunks: chunks)
        state.setDocuments(key, found.documents)
        return found
    }

    /// A resumed `rag_query` keeps its earlier output, but later steps still read its `documents`,
    /// which the audit store does not keep in full: the search is repeated for them (a failure
    /// leaves them absent, and a step reading them fails with its own error).
    func republishDocuments(_ action: RAGQueryAction, key: StepKey, context: [String: Value], _ state: RunState) {
        _ = try? retrieve(action, key: key, context: context, state)
    }

    /// A `rag_query` without `prompt`: searches only; the output is the documents' texts joined.
    func runRAGSearch(_ action: RAGQueryAction, key: StepKey, context: [String: Value], row: inout StepAttemptRecord,
                      _ state: RunState) throws -> Value {
        let found = try retrieve(action, key: key, context: context, state)
        row.prompt = found.query
        row.extraJSON = found.auditJSON
        row.outputText = found.joinedText
        return .string(found.joinedText)
    }
}

extension StepPrompt {
    /// The conversation of a `rag_query` with `prompt`: the citation recipe as the system message
    /// (Korean for a Korean query), then the step's prompt rendered with `documents` and `query`.
    static func rag(_ action: RAGQueryAction, _ found: RAGRetrieval, context: [String: Value], workflow: Workflow) throws -> StepPrompt {
        guard let field = action.prompt else {
            throw ModelError(.configuration, "internal: a rag_query without prompt reached the model runner")
        }
        let text: String
        do {
            text = try field.render(context.merging(action.promptLocals(documents: found.documents, query: found.query)) { $1 })
        } catch {
            throw workflow.attachingSource(to: error)
        }
        let language = Recipes.language(for: nil, text: found.query)
        let system = try Recipes.render(Recipes.ragAnswer(language), name: "recipe rag_query", ["count": .int(found.chunks.count)])
        return StepPrompt(messages: [ChatMessage(role: .system, content: system), ChatMessage(role: .user, content: text)],
                          responseFormat: .text, language: language)
    }
}
