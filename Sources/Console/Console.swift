import Foundation
import Audit
import Engine
import HTTPServer
import Workflow

/// `baton serve`'s pages: workflows, the run form, live runs, history, run detail, the review
/// inbox, the diff of two runs. Everything is rendered here (no external script, style or font) and every value is
/// HTML-escaped; forms carry a CSRF token; a non-loopback server checks a token on every request.
///
/// `@unchecked Sendable`: the only mutable state is the set of runs started here (`launcher`,
/// itself locked); the rest is immutable after `init`.
public final class Console: @unchecked Sendable {
    public struct Settings: Sendable {
        /// The folder whose `*.yaml` files are the workflows offered.
        public var workflows: String
        /// The engine configuration runs use (output folder, model overrides).
        public var engine: EngineConfiguration
        /// Required on every request when set (`--token`): `Authorization: Bearer`, the
        /// `baton_token` cookie, or `?token=` once (which sets the cookie).
        public var token: String?

        public init(workflows: String, engine: EngineConfiguration, token: String? = nil) {
            self.workflows = workflows
            self.engine = engine
            self.token = token
        }
    }

    let settings: Settings
    let store: AuditStore
    /// Checked against the `csrf` field of every form and the `baton_csrf` cookie.
    let csrfToken: String
    let launcher: ConsoleLauncher
    let workflowCache = WorkflowCache()

    public init(settings: Settings, store: AuditStore) {
        self.settings = settings
        self.store = store
        self.csrfToken = Console.randomToken()
        self.launcher = ConsoleLauncher(store: store, configuration: settings.engine)
    }

    /// 32 random bytes as hex.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Waits for the runs started here to end (`baton serve` on SIGTERM: running steps finish);
    /// the review sweep stops first, so no run starts meanwhile.
    public func waitForRuns(timeout: Duration) {
        launcher.stopSweeping()
        launcher.waitForAll(timeout: timeout)
    }

    /// Every `interval`, applies the `timeout` of reviews nobody decided in time and continues
    /// the waiting runs whose reviews are all decided, wherever they were decided (the inbox,
    /// `baton review` in a terminal): `baton serve` calls it once.
    public func startReviewSweep(every interval: Duration = .seconds(1)) { launcher.startSweeping(every: interval) }

    /// The server's handler.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let labels = Labels(acceptLanguage: request.header("Accept-Language"))
        var extraHeaders: [(String, String)] = []
        if let token = settings.token {
            let cookies = Console.cookies(request)
            let bearer = request.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let given = bearer ?? cookies["baton_token"] ?? request.query["token"]
            guard let given, Console.constantTimeEqual(given, token) else {
                return secured(.text("401: this console needs its token (--token): open it with ?token=TOKEN\n", status: 401), labels: labels)
            }
            if request.query["token"] != nil, cookies["baton_token"] != given {
                extraHeaders.append(("Set-Cookie", "baton_token=\(token); Path=/; HttpOnly; SameSite=Strict"))
            }
        }
        var response: HTTPResponse
        if request.method == "POST" {
            var form: [String: String] = [:]
            var uploads: [String: MultipartForm.Part] = [:]
            if let parts = MultipartForm.parse(request.body, contentType: request.header("Content-Type") ?? "") {
                for part in parts {
                    if part.filename != nil { uploads[part.name] = part } else { form[part.name] = String(decoding: part.data, as: UTF8.self) }
                }
            } else {
                form = FormData.parse(String(decoding: request.body, as: UTF8.self))
            }
            guard let sent = form["csrf"], Console.constantTimeEqual(sent, csrfToken) else {
                return secured(.text("403: missing or wrong CSRF token; reload the page and try again\n", status: 403), labels: labels)
            }
            response = post(request, form: form, uploads: uploads, labels: labels)
        } else if request.method == "GET" || request.method == "HEAD" {
            response = get(request, labels: labels)
        } else {
            response = .text("405: method not allowed\n", status: 405)
            response.headers.append(("Allow", "GET, HEAD, POST"))
        }
        response.headers += extraHeaders
        return secured(response, labels: labels)
    }

    private func get(_ request: HTTPRequest, labels: Labels) -> HTTPResponse {
        guard let path = request.path else { return .text("400: bad path\n", status: 400) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (parts.first, parts.count) {
        case (nil, _): return workflowsPage(labels)
        case ("static"?, 2): return ConsoleAssets.response(parts[1])
        case ("workflows"?, 2): return runForm(parts[1], labels: labels)
        case ("runs"?, 1): return runsPage(request.query, labels: labels)
        case ("runs"?, 2): return runPage(parts[1], labels: labels)
        case ("runs"?, 3) where parts[2] == "events": return runEvents(parts[1])
        case ("runs"?, _) where parts.count >= 4 && parts[2] == "files": return download(parts[1], Array(parts[3...]))
        case ("reviews"?, 1): return reviewsPage(labels)
        case ("diff"?, 1): return diffPage(request.query, labels: labels)
        default: return notFound(labels)
        }
    }

    private func post(_ request: HTTPRequest, form: [String: String], uploads: [String: MultipartForm.Part], labels: Labels) -> HTTPResponse {
        let parts = (request.path ?? "").split(separator: "/").map(String.init)
        switch (parts.first, parts.count) {
        case ("workflows"?, 2): return startRun(parts[1], form: form, uploads: uploads, labels: labels)
        case ("reviews"?, 3): return decide(run: parts[1], step: parts[2], form: form, labels: labels)
        default: return notFound(labels)
        }
    }

    func notFound(_ labels: Labels) -> HTTPResponse {
        .text(HTML.page(title: "404", body: "<p>Not found.</p>", labels: labels), status: 404, type: "text/html; charset=utf-8")
    }

    func html(_ title: String, _ body: String, labels: Labels, status: Int = 200) -> HTTPResponse {
        var response = HTTPResponse.text(HTML.page(title: title, body: body, labels: labels), status: status, type: "text/html; charset=utf-8")
        response.headers.append(("Set-Cookie", "baton_csrf=\(csrfToken); Path=/; HttpOnly; SameSite=Strict"))
        return response
    }

    /// The hidden field every form carries.
    var csrfField: String { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\">" }

    /// Headers every response gets: no inline script or style, no framing, no sniffing.
    private func secured(_ response: HTTPResponse, labels: Labels) -> HTTPResponse {
        var response = response
        response.headers += [
            ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
            ("Cache-Control", "no-store"), ("Content-Language", labels.language),
        ]
        return response
    }

    static func cookies(_ request: HTTPRequest) -> [String: String] {
        var result: [String: String] = [:]
        for part in (request.header("Cookie") ?? "").split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 { result[pair[0]] = pair[1] }
        }
        return result
    }

    /// Compares without stopping at the first difference, so timing does not reveal a prefix.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
