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
        var page = try LoopbackHTTP.request(port: serve.port, location)
        for _ in 0..<100 where !page.body.contains("data-status=\"succeeded\"") {
            usleep(50_000)
            page = try LoopbackHTTP.request(port: serve.port, location)
        }
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
        var page = try LoopbackHTTP.request(port: serve.port, location)
        for _ in 0..<100 where !page.body.contains("data-status=\"succeeded\"") {
            usleep(50_000)
            page = try LoopbackHTTP.request(port: serve.port, location)
        }
        #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; 한글"))
        #expect(!page.body.contains("<script>alert"))
        #expect(!page.body.contains("<img src=x"))
        let download = try LoopbackHTTP.request(port: serve.port, location + "/files/echo.txt")
        #expect(download.status == 200)
        #expect(download.body == "<script>alert(1)</script><img src=x onerror=alert(2)> 한글\n")
        #expect(try LoopbackHTTP.request(port: serve.port, location + "/files/..%2Fwf%2Fxss.yaml").status == 404)
        #expect(try LoopbackHTTP.request(port: serve.port, location + "/files/other.txt").status == 404)
    }
}
