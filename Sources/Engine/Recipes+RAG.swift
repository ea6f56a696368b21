import Foundation
import Providers

extension Recipes {
    /// The system message of a `rag_query` with `prompt`: answer from the numbered documents only
    /// and cite them as [1], [2]. The step's own prompt lists the documents; this asks for the
    /// citations whatever that prompt says. Variables: `count` (documents retrieved).
    public static func ragAnswer(_ language: Language) -> String {
        switch language {
        case .korean:
            return """
                당신은 주어진 자료만 근거로 답하는 도우미입니다. 자료에는 [1]부터 [{{ count }}]까지 번호가 붙어 있습니다.
                문장마다 근거가 된 자료 번호를 [1], [2]처럼 붙이고, 자료에 없는 내용은 지어내지 말고 자료에서 찾을 수 없다고 답하세요.
                """
        case .english:
            return """
                You answer from the given documents only. They are numbered [1] to [{{ count }}].
                Cite the document each sentence relies on as [1], [2]; if the documents do not contain the answer, say so instead of guessing.
                """
        }
    }
}
