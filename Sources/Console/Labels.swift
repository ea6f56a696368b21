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
        let table = language == "ko" ? Labels.korean : Labels.english
        return table[key] ?? Labels.english[key] ?? key
    }

    static let english: [String: String] = [
        "workflows": "Workflows", "runs": "Runs", "reviews": "Review inbox", "run": "Run", "status": "Status", "started": "Started (UTC)",
        "workflow": "Workflow", "inputs": "Inputs", "steps": "Steps", "step": "Step", "output": "Output", "prompt": "Prompt",
        "model": "Model", "tokens": "Tokens", "files": "Files", "review_history": "Review history", "audit": "Audit chain",
        "verified": "verified", "not_verified": "does NOT verify", "start": "Start run", "approve": "Approve", "edit": "Save edit and approve",
        "reject": "Reject", "note": "Note", "reviewer": "Reviewer", "no_reviews": "No review is waiting.", "no_runs": "No runs yet.",
        "valid": "valid", "invalid": "has errors", "description": "Description", "round": "Round", "shown": "Text to review",
        "event": "Event", "when": "When", "live": "Live: this page follows the run.", "filter": "Filter", "all": "all",
        "error": "Error", "secret": "secret", "download": "download", "next": "Older runs",
        "diff": "Compare runs", "compare": "Compare", "compare_with": "Compare with", "diff_previous": "diff with previous",
        "same": "same", "input": "Input", "no_such_run": "No such run.", "items_done": "items done", "eta": "about %s left",
    ]

    static let korean: [String: String] = [
        "workflows": "워크플로", "runs": "실행 기록", "reviews": "검토함", "run": "실행", "status": "상태", "started": "시작 (UTC)",
        "workflow": "워크플로", "inputs": "입력", "steps": "단계", "step": "단계", "output": "출력", "prompt": "프롬프트",
        "model": "모델", "tokens": "토큰", "files": "파일", "review_history": "검토 이력", "audit": "감사 체인",
        "verified": "검증됨", "not_verified": "검증 실패", "start": "실행 시작", "approve": "승인", "edit": "수정 후 승인",
        "reject": "반려", "note": "의견", "reviewer": "검토자", "no_reviews": "기다리는 검토가 없습니다.", "no_runs": "실행 기록이 없습니다.",
        "valid": "정상", "invalid": "오류 있음", "description": "설명", "round": "차수", "shown": "검토할 내용",
        "event": "기록", "when": "시각", "live": "실시간: 이 페이지가 실행을 따라갑니다.", "filter": "거르기", "all": "전체",
        "error": "오류", "secret": "비밀", "download": "내려받기", "next": "이전 실행",
        "diff": "실행 비교", "compare": "비교", "compare_with": "비교할 실행", "diff_previous": "이전 실행과 비교",
        "same": "같음", "input": "입력", "no_such_run": "그런 실행이 없습니다.", "items_done": "항목 완료", "eta": "약 %s 남음",
    ]
}

import Foundation
