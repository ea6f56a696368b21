import CommandKit
import Foundation
import Retrieval

/// `baton bench retrieval`: retrieval quality on the evaluation set, embedding throughput against
/// sentence-transformers in the same run, exact-search latency over 100,000 vectors, ingest time.
struct RetrievalBench: TableCommand {
    static let abstract = "Recall/MRR, embedding speed vs sentence-transformers, search and ingest time."
    static let options = OptionTable("baton bench retrieval", [
        .option("model", value: "PATH", help: "The embedding model (default: all-MiniLM-L6-v2 as `baton embed` finds it)."),
        .benchThreads,
        .option("eval", value: "FILE", help: "The evaluation set (default Examples/knowledge-eval.json)."),
        .option("sentences", value: "N", help: "Sentences embedded for the throughput.", default: "512"),
        .option("chunks", value: "N", help: "Random vectors searched.", default: "100000"),
        .flag("skip-reference", help: "Skip sentence-transformers."),
        .flag("misses", help: "List the queries each mode missed."),
        .flag("quality-only", help: "Stop after the quality table."),
    ])
    static let discussion = """
        Run from the repository root with a release build. Prints:
          - recall@5 and MRR of vector, lexical and hybrid search on the evaluation set
            (default Examples/knowledge-eval.json, ingesting the paths it names into a temporary database);
          - embedding throughput (sentences/s, batches of 32, --threads threads, default 2) of Baton
            and of sentence-transformers on torch (python3) with as many threads, and their ratio;
          - exact top-10 search time over N random 384-d vectors (default 100,000);
          - the time to ingest 1,000 paragraphs.
        --misses lists the queries each mode missed; --quality-only stops after the quality table.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let threads = try parsed.positiveCount("threads", usage: usage)
        let modelPath: String
        let embedder: SentenceEmbedder
        do {
            modelPath = try EmbeddingModelLocator.resolve(parsed.value("model"))
            embedder = try SentenceEmbedder(path: modelPath, threads: threads)
        } catch {
            printError(error.description)
            return 1
        }
        let scratch = try BenchText.scratchFolder("retrieval")
        defer { try? FileManager.default.removeItem(at: scratch) }
        printOut("baton bench retrieval — model \(embedder.identity)")

        // 1. Quality.
        let evalPath = parsed.value("eval") ?? "Examples/knowledge-eval.json"
        do {
            let evaluation = try RetrievalEvaluation.load(evalPath)
            let knowledge = try KnowledgeBase(path: scratch.appendingPathComponent("eval.db").path, embedder: embedder, create: true)
            let report = try knowledge.ingest(evaluation.ingest)
            for failure in report.failed { printError(failure) }
            let counts = try knowledge.counts()
            printOut("\nquality: \(evaluation.queries.count) queries over \(counts.documents) documents, \(counts.chunks) chunks (\(evalPath))")
            for mark in try evaluation.unmatchedMarks(knowledge) {
                printError("warning: no chunk of \(mark); the evaluation set is out of date")
            }
            printOut("  mode      recall@5   MRR")
            for mode in SearchMode.allCases {
                let score = try evaluation.score(knowledge, mode: mode)
                printOut("  " + mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                         + " " + format(score.recall, 3).padding(toLength: 10, withPad: " ", startingAt: 0) + " " + format(score.meanReciprocalRank, 3))
                if parsed.flag("misses") { for miss in score.misses { printOut("      missed: \(miss)") } }
            }
        } catch {
            printError(error.description)
        }

        if parsed.flag("quality-only") { return 0 }

        // 2. Embedding throughput.
        let count = try parsed.positiveCount("sentences", usage: usage)
        let sentences = benchSentences(count)
        _ = try embedder.embed(Array(sentences.prefix(32)))  // a corrupt model fails here, not inside the timing
        let cpuBefore = processCPUSeconds()
        let batonSeconds = BenchTiming.median((0..<3).map { _ in BenchTiming.time { _ = try? embedder.embed(sentences, batchSize: 32) } })
        let cpuPerRun = (processCPUSeconds() - cpuBefore) / 3
        let batonRate = Double(sentences.count) / batonSeconds
        printOut("\nembedding: \(sentences.count) sentences, batches of 32, \(threads) threads")
        printOut("  baton                  \(format(batonRate, 1)) sentences/s (\(format(cpuPerRun, 2)) s CPU per run)")
        if !parsed.flag("skip-reference") {
            if let referenceRate = referenceThroughput(sentences, model: modelPath, threads: threads, scratch: scratch) {
                printOut("  sentence-transformers  \(format(referenceRate, 1)) sentences/s")
                printOut("  ratio                  \(format(batonRate / referenceRate, 2))x")
            } else {
                printOut("  sentence-transformers  unavailable (pip install sentence-transformers torch==2.13.0+cpu)")
            }
        }

        // 3. Exact search.
        let rows = try parsed.positiveCount("chunks", usage: usage)
        var index = VectorIndex(dimension: embedder.dimension, threads: threads)
        index.reserve(rows)
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func random() -> Float { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Float(Int64(bitPattern: seed) >> 40) / Float(1 << 23) }
        func unit() -> [Float] {
            let vector = (0..<embedder.dimension).map { _ in random() }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
        for id in 0..<rows { index.append(id: Int64(id), document: Int64(id / 10), vector: unit()) }
        let queries = (0..<21).map { _ in unit() }
        let searchSeconds = BenchTiming.median(queries.map { query in BenchTiming.time { _ = index.search(query, k: 10) } })
        printOut("\nexact search: \(rows) vectors of \(embedder.dimension) dimensions, top-10")
        printOut("  median \(format(searchSeconds * 1000, 2)) ms per query (target < 20 ms)")

        // 4. Ingest.
        do {
            let folder = scratch.appendingPathComponent("paragraphs")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in 0..<20 {
                let paragraphs = (0..<50).map { paragraph in benchParagraph(file * 50 + paragraph) }
                try Data(paragraphs.joined(separator: "\n\n").utf8).write(to: folder.appendingPathComponent("doc\(file).txt"))
            }
            let knowledge = try KnowledgeBase(path: scratch.appendingPathComponent("ingest.db").path, embedder: embedder, create: true)
            var report = IngestReport()
            let cpuBefore = processCPUSeconds()
            let seconds = try BenchTiming.time { report = try knowledge.ingest([folder.path]) }
            let cpu = processCPUSeconds() - cpuBefore
            printOut("\ningest: 1,000 paragraphs in 20 files → \(report.chunks) chunks")
            printOut("  \(format(seconds, 2)) s wall, \(format(cpu, 2)) s CPU (target < 30 s wall on 2 cores)")
        } catch {
            printError("error: ingest benchmark failed: \(error)")
        }
        return 0
    }


    /// User + system CPU time of this process so far: on a shared machine, wall time alone misleads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }


    static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    static let englishPool = [
        "Our client launches a new electric scooter in Seoul next spring.", "Please summarize the press release in three sentences.",
        "The brand voice is warm, direct and never sarcastic.", "Quarterly revenue grew by 12% compared with last year.",
        "Social posts should be scheduled for weekday mornings.", "The crisis communication plan names a single spokesperson.",
        "Influencer contracts require disclosure of paid partnerships.", "The annual report is available in English and Korean.",
    ]
    static let koreanPool = [
        "우리 회사는 다음 달 서울에서 신제품을 출시합니다.", "보도자료를 세 문장으로 요약해 주세요.", "브랜드 톤은 따뜻하고 솔직하며 과장하지 않습니다.",
        "이번 분기 매출은 작년보다 12% 증가했습니다.", "행사는 유튜브와 인스타그램으로 생중계됩니다.", "제품 사진은 자연광에서 촬영해야 합니다.",
        "위기 대응 계획에는 대변인이 한 명만 지정되어 있습니다.", "팝업 스토어는 성수동에서 오전 11시에 문을 엽니다.",
    ]

    /// `count` sentences, half English and half Korean, numbered so none repeats.
    static func benchSentences(_ count: Int) -> [String] {
        (0..<count).map { index in
            let pool = index % 2 == 0 ? englishPool : koreanPool
            return "\(pool[(index / 2) % pool.count]) (\(index))"
        }
    }

    /// A three-sentence paragraph, alternating languages.
    static func benchParagraph(_ index: Int) -> String {
        let pool = index % 2 == 0 ? englishPool : koreanPool
        return (0..<3).map { pool[(index + $0 * 3) % pool.count] }.joined(separator: " ") + " #\(index)"
    }

    /// sentence-transformers' sentences/s on the same texts (torch, `threads` threads), or nil when absent.
    static func referenceThroughput(_ sentences: [String], model: String, threads: Int, scratch: URL) -> Double? {
        let input = scratch.appendingPathComponent("sentences.json")
        guard let data = try? JSONSerialization.data(withJSONObject: sentences), (try? data.write(to: input)) != nil else { return nil }
        let script = """
            import json, sys, time
            import torch
            torch.set_num_threads(int(sys.argv[3]))
            from sentence_transformers import SentenceTransformer
            texts = json.load(open(sys.argv[1]))
            model = SentenceTransformer(sys.argv[2], device="cpu")
            model.encode(texts[:32], batch_size=32)
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                model.encode(texts, batch_size=32, normalize_embeddings=True)
                runs.append(time.perf_counter() - start)
            print(len(texts) / sorted(runs)[1])
            """
        guard let output = BenchText.python(["-c", script, input.path, model, String(threads)]) else { return nil }
        return Double(output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
