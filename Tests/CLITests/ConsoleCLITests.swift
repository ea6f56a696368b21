import Foundation
import Testing
import TestSupport

/// `baton serve` with the real binary on loopback: the token a non-loopback address requires,
/// escaping of model output, CSRF, confined downloads.
@Suite struct ConsoleCLITests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("wf"), withIntermediateDirectories: true)
        try Data("""
            baton: 1
            name: xss
            inputs:
              text: { type: string, default: "<script>alert(1)</script><img src=x onerror=alert(2)>" }
            steps:
              - { id: echo, kind: template, template: "{{ inputs.text }} 한글" }
            outputs:
              files:
                - { path: echo.txt, content: "{{ steps.echo.output }}" }
            """.utf8).write(to: folder.appendingPathComponent("wf/xss.yaml"))
    }

    /// The must-show: on 0.0.0.0 without --token, serve prints the token it generated and
    /// every request without it gets 401.
    @Test func anotherHostRequiresTheTokenOnEveryRequest() throws {
        let serve = try ServeProcess(["--host", "0.0.0.0", "--workflows", "wf"], environment: ["BATON_DB": ""], directory: folder)
        let token = try #require(serve.stderrText.firstMatch(of: /token: ([0-9a-f]{64})/).map { String($0.1) }, "\(serve.stderrText)")
        #expect(try LoopbackHTTP.request(port: serve.port, "/").status == 401)
        #expect(try LoopbackHTTP.request(port: serve.port, "/runs", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try LoopbackHTTP.request(port: serve.port, "/", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        let first = try LoopbackHTTP.request(port: serve.port, "/?token=\(token)")
        #expect(first.status == 200)
        #expect(first.headers.contains("Set-Cookie: baton_token=\(token); Path=/; HttpOnly; SameSite=Strict"))
        #expect(try LoopbackHTTP.request(port: serve.port, "/runs", headers: ["Cookie": "baton_token=\(token)"]).status == 200)
        #expect(serve.stop() == 0)
    }

    /// A `file` input takes an uploaded file (multipart/form-data): the run reads its text.
    @Test func aFileInputTakesAnUpload() throws {
        try Data("""
            baton: 1
            name: upload
            inputs:
              brief: { type: file, default: missing.md }
            steps:
              - { id: first_line, kind: template, template: "{{ inputs.brief.split('\\n')[0] }}" }
            """.utf8).write(to: folder.appendingPathComponent("wf/upload.yaml"))
        let serve = try ServeProcess(["--workflows", "wf"], environment: ["BATON_DB": ""], directory: folder)
        defer { serve.stop() }
        let form = try LoopbackHTTP.request(port: serve.port, "/workflows/upload")
        #expect(form.body.contains("enctype=\"multipart/form-data\""))
        #expect(form.body.contains("<input id=\"input-brief-file\" type=\"file\" name=\"file.brief\">"))
        let csrf = try #require(form.body.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/).map { String($0.1) })
        let body = "--b0undary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
            + "--b0undary\r\nContent-Disposition: form-data; name=\"file.brief\"; filename=\"brief.md\"\r\nContent-Type: text/markdown\r\n\r\n# 한빛 봄꽃 축제 브리프\n본문\r\n--b0undary--\r\n"
        let started = try LoopbackHTTP.request(port: serve.port, method: "POST", "/workflows/upload",
                                               headers: ["Content-Type": "multipart/form-data; boundary=b0undary"], body: body)
        #expect(started.status == 303, "\(started.body)")
        let location = try #require(started.headers.firstMatch(of: /Location: (\/runs\/[0-9a-f-]+)/).map { String($0.1) })
        let page = try LoopbackHTTP.succeededRunPage(port: serve.port, location)
        #expect(page.body.contains("<pre class=\"output\"># 한빛 봄꽃 축제 브리프</pre>"))
    }

    /// A run whose output is markup shows it as text; forms need the CSRF token; downloads are
    /// the run's own files only.
    @Test func pagesEscapeOutputsAndCheckCSRFAndDownloads() throws {
        let serve = try ServeProcess(["--workflows", "wf"], environment: ["BATON_DB": ""], directory: folder)
        defer { serve.stop() }
        let form = try LoopbackHTTP.request(port: serve.port, "/workflows/xss", headers: ["Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"])
        #expect(form.headers.contains("Content-Security-Policy: default-src 'none'; script-src 'self';"))
        #expect(form.body.contains("<button type=\"submit\" id=\"start\">실행 시작</button>"))
        #expect(form.body.contains("<svg class=\"dag\""))
        #expect(form.body.contains("text-anchor=\"middle\" font-size=\"14\">echo</text>"))
        let csrf = try #require(form.body.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/).map { String($0.1) })
        #expect(try LoopbackHTTP.request(port: serve.port, method: "POST", "/workflows/xss", body: "csrf=wrong").status == 403)
        let started = try LoopbackHTTP.request(port: serve.port, method: "POST", "/workflows/xss", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                               body: "csrf=\(csrf)")
        #expect(started.status == 303)
        let location = try #require(started.headers.firstMatch(of: /Location: (\/runs\/[0-9a-f-]+)/).map { String($0.1) })
        let page = try LoopbackHTTP.succeededRunPage(port: serve.port, location)
        #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; 한글"))
        #expect(!page.body.contains("<script>alert"))
        #expect(!page.body.contains("<img src=x"))
        let download = try LoopbackHTTP.request(port: serve.port, location + "/files/echo.txt")
        #expect(download.status == 200)
        #expect(download.body == "<script>alert(1)</script><img src=x onerror=alert(2)> 한글\n")
        #expect(try LoopbackHTTP.request(port: serve.port, location + "/files/..%2Fwf%2Fxss.yaml").status == 404)
        #expect(try LoopbackHTTP.request(port: serve.port, location + "/files/other.txt").status == 404)
    }

    /// The diff page compares two runs of a workflow: the inputs side by side, each step's output
    /// with removed words struck and added ones marked (escaped); the history and the run page
    /// link to it. A `for_each` run started here reports its item total in its events, which the
    /// live page turns into "2 / 3 items done · about 1 s left".
    @Test func theDiffPageComparesTwoRunsAndForEachEventsCarryTheirTotal() throws {
        try Data("""
            baton: 1
            name: items
            inputs:
              text: { type: string, default: x }
            steps:
              - { id: each, kind: template, for_each: ["가", "나", "다"], template: "{{ item }} {{ inputs.text }}" }
            """.utf8).write(to: folder.appendingPathComponent("wf/items.yaml"))
        let serve = try ServeProcess(["--workflows", "wf"], environment: ["BATON_DB": ""], directory: folder)
        defer { serve.stop() }
        var ids: [String] = []
        for text in ["봄 <b>축제</b>", "여름 <b>축제</b>"] {
            let form = try LoopbackHTTP.request(port: serve.port, "/workflows/items")
            let csrf = try #require(form.body.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/).map { String($0.1) })
            let encoded = text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789")) ?? ""
            let started = try LoopbackHTTP.request(port: serve.port, method: "POST", "/workflows/items",
                                                   headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "csrf=\(csrf)&input.text=\(encoded)")
            let location = try #require(started.headers.firstMatch(of: /Location: \/runs\/([0-9a-f-]+)/).map { String($0.1) }, "\(started.body)")
            _ = try LoopbackHTTP.succeededRunPage(port: serve.port, "/runs/\(location)")
            ids.append(location)
        }
        let diff = try LoopbackHTTP.request(port: serve.port, "/diff?a=\(ids[0])&b=\(ids[1])", headers: ["Accept-Language": "ko-KR,ko"])
        #expect(diff.status == 200)
        #expect(diff.body.contains("<title>실행 비교 · Baton</title>"))
        #expect(diff.body.contains("<td class=\"changed\">text</td><td>봄 &lt;b&gt;축제&lt;/b&gt;</td><td>여름 &lt;b&gt;축제&lt;/b&gt;</td>"), "\(diff.body)")
        #expect(diff.body.contains("<h3>each[1] · succeeded → succeeded</h3><pre class=\"diff\">나 <del>봄</del><ins>여름</ins> &lt;b&gt;축제&lt;/b&gt;</pre>"), "\(diff.body)")
        #expect(!diff.body.contains("<b>축제"))
        #expect(try LoopbackHTTP.request(port: serve.port, "/diff?a=\(ids[0])&b=nope").status == 404)

        let history = try LoopbackHTTP.request(port: serve.port, "/runs?workflow=items")
        #expect(history.body.contains("<a href=\"/diff?a=\(ids[0])&amp;b=\(ids[1])\">diff with previous</a>"), "\(history.body)")
        let detail = try LoopbackHTTP.request(port: serve.port, "/runs/\(ids[1])")
        #expect(detail.body.contains("<input type=\"hidden\" name=\"b\" value=\"\(ids[1])\">"))
        #expect(detail.body.contains("<option value=\"\(ids[0])\">\(ids[0]) · succeeded</option>"))

        let events = try LoopbackHTTP.request(port: serve.port, "/runs/\(ids[1])/events")
        let steps = events.body.split(separator: "\n").filter { $0.hasPrefix("data: {\"step\"") }
        #expect(steps.count == 3, "\(events.body)")
        #expect(steps.allSatisfy { $0.contains("\"total\":3") && $0.contains("\"parallel\":") && $0.contains("\"ms\":") }, "\(events.body)")
    }
}
