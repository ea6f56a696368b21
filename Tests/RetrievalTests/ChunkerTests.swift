import Foundation
import Testing
@testable import Retrieval

@Suite struct ChunkerTests {
    /// Counts words, so the tests do not need the model.
    let words = Chunker(targetTokens: 12, overlapTokens: 4) { $0.split(whereSeparator: { $0.isWhitespace }).count }

    @Test(arguments: [
        ("One. Two! Three? 넷입니다. 다섯이요.", ["One.", "Two!", "Three?", "넷입니다.", "다섯이요."]),
        ("Pi is 3.14 today. He said \"stop.\" Then left.", ["Pi is 3.14 today.", "He said \"stop.\"", "Then left."]),
        ("line one\nline two", ["line one", "line two"]),
        ("끝없는 문장", ["끝없는 문장"]),
        ("e.g.this stays. 好。下一句", ["e.g.this stays.", "好。下一句"]),
    ])
    func sentences(_ text: String, _ expected: [String]) {
        #expect(Chunker.sentences(text) == expected)
    }

    @Test func headingsStartChunksAndSentencesAreNeverCut() {
        let document = ParsedDocument(title: "T", blocks: [
            TextBlock(headings: ["Guide"], text: "Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu."),
            TextBlock(headings: ["Guide", "Tone"], text: "따뜻하고 담백합니다. 존댓말을 씁니다."),
        ])
        let chunks = words.chunks(document)
        #expect(chunks.map(\.text) == [
            "Guide\nAlpha beta gamma delta. Epsilon zeta eta theta.",
            "Guide\nEpsilon zeta eta theta. Iota kappa lambda mu.",
            "Guide > Tone\n따뜻하고 담백합니다. 존댓말을 씁니다.",
        ])
        #expect(chunks.map(\.position) == [0, 1, 2])
        #expect(chunks.map(\.tokenCount) == [9, 9, 7])
    }

    @Test func recordsAreChunkedOneByOne() throws {
        let document = try DocumentParser.parse("name,beat\n김하늘,뷰티\nDan,retail\n", path: "contacts.csv")
        #expect(document.blocksAreRecords)
        #expect(words.chunks(document).map(\.text) == ["name: 김하늘; beat: 뷰티", "name: Dan; beat: retail"])
    }

    /// A chat-format JSONL line (training data, approved examples) is one record of its turns.
    @Test func chatFormatJSONLinesAreRecordsOfTheirTurns() throws {
        let line = #"{"messages": [{"role": "user", "content": "카피 한 줄"}, {"role": "assistant", "content": "봄은 한빛에서"}]}"#
        let document = try DocumentParser.parse(line + "\n", path: "brand-voice.jsonl")
        #expect(document.blocksAreRecords)
        #expect(document.blocks.map(\.text) == ["user: 카피 한 줄\nassistant: 봄은 한빛에서"])
    }

    @Test func anOverlongSentenceIsCutAtWords() {
        let long = (1...30).map { "w\($0)" }.joined(separator: " ")
        let chunks = words.chunks(ParsedDocument(title: "", blocks: [TextBlock(headings: [], text: long)]))
        #expect(chunks.count == 3)
        #expect(chunks.allSatisfy { $0.tokenCount <= 12 })
        #expect(chunks[0].text.hasPrefix("w1 w2"))
    }
}

@Suite struct DocumentParserTests {
    @Test func htmlKeepsOnlyVisibleText() throws {
        let html = """
            <html><head><title>Brief &amp; Plan</title><script>var secret = 1;</script></head>
            <body><h1>Launch</h1><p>Price: 890,000&nbsp;won &#8212; &lt;final&gt;</p><style>p{}</style>
            <!-- hidden comment --><h2>타깃</h2><ul><li>직장인</li><li>학생</li></ul></body></html>
            """
        let document = try DocumentParser.parse(html, path: "brief.html")
        #expect(document.title == "Brief & Plan")
        #expect(document.blocks == [
            TextBlock(headings: ["Launch"], text: "Price: 890,000 won — <final>"),
            TextBlock(headings: ["Launch", "타깃"], text: "직장인"),
            TextBlock(headings: ["Launch", "타깃"], text: "학생"),
        ])
    }

    @Test func markdownSectionsAndTitle() throws {
        let document = try DocumentParser.parse("# 가이드\n\n첫 문단\n둘째 줄\n\n## 톤 ##\n\n```\n# not a heading\n```\n", path: "a.md")
        #expect(document.title == "가이드")
        #expect(document.blocks == [
            TextBlock(headings: ["가이드"], text: "첫 문단\n둘째 줄"),
            TextBlock(headings: ["가이드", "톤"], text: "```\n# not a heading\n```"),
        ])
    }

    @Test func csvRowsBecomeFieldLists() throws {
        let document = try DocumentParser.parse("name,note\n김하늘,\"비건, 뷰티\"\nDan,\"says \"\"hi\"\"\"\n", path: "c.csv")
        #expect(document.blocks.map(\.text) == ["name: 김하늘; note: 비건, 뷰티", "name: Dan; note: says \"hi\""])
        #expect(document.title == "c")
        #expect(throws: RetrievalError("c.csv:2: error: unterminated quoted field")) {
            try DocumentParser.parse("a,b\n\"open,x\n", path: "c.csv")
        }
    }

    @Test func jsonlObjectsAndBadLines() throws {
        let document = try DocumentParser.parse("{\"title\": \"FAQ\", \"q\": \"질문\"}\n\n{\"a\": 1}\n", path: "f.jsonl")
        #expect(document.title == "FAQ")
        #expect(document.blocks.map(\.text) == ["q: 질문\ntitle: FAQ", "a: 1"])
        #expect(throws: RetrievalError("f.jsonl:2: error: not a JSON object")) {
            try DocumentParser.parse("{}\n[1, 2]\n", path: "f.jsonl")
        }
    }
}

@Suite struct NGramTextTests {
    @Test(arguments: [
        ("말투는 따뜻하고", ["말투", "투는", "따뜻", "뜻하", "하고"]),
        ("Aurora E2는 60km", ["aurora", "e2", "는", "60km"]),
        ("톤", ["톤"]),
        ("press-release, 보도자료!", ["press", "release", "보도", "도자", "자료"]),
    ])
    func terms(_ text: String, _ expected: [String]) {
        #expect(NGramText.terms(text) == expected)
    }
}
