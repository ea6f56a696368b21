/// The console's words in Korean and English, chosen by the request's `Accept-Language`.
struct Labels: Sendable {
    let language: String

    /// Korean when the first language the browser prefers is Korean, else English.
    init(acceptLanguage: String?) {
        let first = acceptLanguage?.split(separator: ",").first?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        language = first.hasPrefix("ko") ? "ko" : "en"
    }

    subscript(_ key: String) -> String {
        HTML.escape(plain(key))
    }

    /// The label as text, not yet escaped (for `HTML.Cell.link`, which escapes).
    func plain(_ key: String) -> String {
        guard let word = Labels.words[key] else { return key }
        return language == "ko" ? word.ko : word.en
    }

    /// Every label as (English, Korean), one row per key so a word cannot be added in one
    /// language and forgotten in the other.
    static let words: [String: (en: String, ko: String)] = [
        "workflows": ("Workflows", "워크플로"), "runs": ("Runs", "실행 기록"), "reviews": ("Review inbox", "검토함"), "run": ("Run", "실행"),
        "status": ("Status", "상태"), "started": ("Started (UTC)", "시작 (UTC)"), "workflow": ("Workflow", "워크플로"),
        "inputs": ("Inputs", "입력"), "steps": ("Steps", "단계"), "step": ("Step", "단계"), "output": ("Output", "출력"),
        "prompt": ("Prompt", "프롬프트"), "model": ("Model", "모델"), "tokens": ("Tokens", "토큰"), "files": ("Files", "파일"),
        "review_history": ("Review history", "검토 이력"), "audit": ("Audit chain", "감사 체인"), "verified": ("verified", "검증됨"),
        "not_verified": ("does NOT verify", "검증 실패"), "start": ("Start run", "실행 시작"), "approve": ("Approve", "승인"),
        "edit": ("Save edit and approve", "수정 후 승인"), "reject": ("Reject", "반려"), "note": ("Note", "의견"),
        "reviewer": ("Reviewer", "검토자"), "no_reviews": ("No review is waiting.", "기다리는 검토가 없습니다."),
        "no_runs": ("No runs yet.", "실행 기록이 없습니다."), "valid": ("valid", "정상"), "invalid": ("has errors", "오류 있음"),
        "description": ("Description", "설명"), "round": ("Round", "차수"), "shown": ("Text to review", "검토할 내용"), "event": ("Event", "기록"),
        "when": ("When", "시각"), "live": ("Live: this page follows the run.", "실시간: 이 페이지가 실행을 따라갑니다."), "filter": ("Filter", "거르기"),
        "all": ("all", "전체"), "error": ("Error", "오류"), "secret": ("secret", "비밀"), "download": ("download", "내려받기"),
        "next": ("Older runs", "이전 실행"), "diff": ("Compare runs", "실행 비교"), "compare": ("Compare", "비교"),
        "compare_with": ("Compare with", "비교할 실행"), "diff_previous": ("diff with previous", "이전 실행과 비교"), "same": ("same", "같음"),
        "input": ("Input", "입력"), "no_such_run": ("No such run.", "그런 실행이 없습니다."), "items_done": ("items done", "항목 완료"),
        "eta": ("about %s left", "약 %s 남음"),
    ]
}

import Foundation
