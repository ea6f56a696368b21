import Foundation
import Providers
import Template

/// The built-in prompts of `summarize`, `translate` and `extract`, in Korean and English: the one
/// place to read or change what Baton asks a model (documented in `Documentation/Recipes.md`).
///
/// Each recipe is a Jinja template rendered with the step's fields as variables (the same names
/// a step's own `prompt:` override sees). The Korean text is used when the output should be
/// Korean (`language: ko`, `to: ko`, or Korean source text when no language is given), because
/// models follow instructions in the language they should answer in more reliably.
public enum Recipes {
    /// The language of a recipe.
    public enum Language: String, Sendable, CaseIterable {
        case korean = "ko", english = "en"
    }

    /// Variables: `text`, `max_words`, `max_sentences`, `format` (`prose`/`bullets`), `language`.
    public static func summarize(_ language: Language) -> String {
        switch language {
        case .korean:
            return """
                다음 글을 요약하세요.
                {% if max_words %}- 길이: {{ max_words }}단어 이내
                {% endif %}{% if max_sentences %}- 길이: {{ max_sentences }}문장 이내
                {% endif %}- 형식: {% if format == 'bullets' %}글머리표 목록 (각 줄을 "- "로 시작){% else %}이어지는 문단{% endif %}
                - 언어: {{ language_name or '원문과 같은 언어' }}
                - 원문에 없는 사실을 더하지 말고, 요약문만 답하세요.

                글:
                {{ text }}
                """
        case .english:
            return """
                Summarize the following text.
                {% if max_words %}- Length: at most {{ max_words }} words
                {% endif %}{% if max_sentences %}- Length: at most {{ max_sentences }} sentences
                {% endif %}- Format: {% if format == 'bullets' %}a bulleted list (each line starts with "- "){% else %}flowing prose{% endif %}
                - Language: {{ language_name or 'the language of the text' }}
                - Add no facts that are not in the text. Answer with the summary only.

                Text:
                {{ text }}
                """
        }
    }

    /// Variables: `text`, `from`, `to`, `from_name`, `to_name`, `glossary` (source → target).
    public static func translate(_ language: Language) -> String {
        switch language {
        case .korean:
            return """
                다음 글을 {{ from_name or '원문 언어' }}에서 {{ to_name }}(으)로 번역하세요.
                {% if glossary %}다음 용어는 반드시 지정된 번역어로 옮기세요:
                {% for source, target in glossary.items() %}- {{ source }} → {{ target }}
                {% endfor %}{% endif %}번역문만 답하세요.

                원문:
                {{ text }}
                """
        case .english:
            return """
                Translate the following text from {{ from_name or 'its language' }} to {{ to_name }}.
                {% if glossary %}Translate these terms exactly as given:
                {% for source, target in glossary.items() %}- {{ source }} → {{ target }}
                {% endfor %}{% endif %}Answer with the translation only.

                Text:
                {{ text }}
                """
        }
    }

    /// Variables: `text`, `schema` (JSON Schema text).
    public static func extract(_ language: Language) -> String {
        switch language {
        case .korean:
            return """
                다음 글에서 정보를 뽑아 JSON 하나로만 답하세요. JSON은 이 스키마를 따라야 합니다:
                {{ schema }}

                글:
                {{ text }}
                """
        case .english:
            return """
                Extract the information from the following text and answer with one JSON value only.
                The JSON must follow this schema:
                {{ schema }}

                Text:
                {{ text }}
                """
        }
    }

    /// The message added to the conversation when a translation left out glossary terms.
    /// Variables: `missing` (list of `{source, target}`).
    public static func glossaryRetry(_ language: Language) -> String {
        switch language {
        case .korean:
            return """
                번역에 지정된 용어가 빠졌습니다: {% for term in missing %}'{{ term.source }}'은(는) '{{ term.target }}'(으)로{% if not loop.last %}, {% endif %}{% endfor %} 옮겨야 합니다. 이 용어를 넣어 번역 전체를 다시 답하세요.
                """
        case .english:
            return """
                The translation is missing required glossary terms: {% for term in missing %}'{{ term.source }}' must be translated as '{{ term.target }}'{% if not loop.last %}, {% endif %}{% endfor %}. Answer again with the whole translation, using these terms.
                """
        }
    }

    /// The message added when an `extract` answer was not valid JSON for the schema.
    /// Variables: `problem`, `schema`.
    public static func extractRepair(_ language: Language) -> String {
        switch language {
        case .korean:
            return """
                답이 올바른 JSON이 아닙니다: {{ problem }}. 이 스키마를 따르는 JSON 하나로만 다시 답하세요:
                {{ schema }}
                """
        case .english:
            return """
                Your answer is not valid JSON for the schema: {{ problem }}. Answer again with one JSON value that follows this schema, and nothing else:
                {{ schema }}
                """
        }
    }

    /// Language names for the recipes' `from_name` / `to_name` / `language_name`.
    public static func languageName(_ code: String?, in language: Language) -> String? {
        guard let code else { return nil }
        let names: [String: (ko: String, en: String)] = [
            "ko": ("한국어", "Korean"), "en": ("영어", "English"), "ja": ("일본어", "Japanese"),
            "zh": ("중국어", "Chinese"), "fr": ("프랑스어", "French"), "de": ("독일어", "German"),
            "es": ("스페인어", "Spanish"), "vi": ("베트남어", "Vietnamese"),
        ]
        guard let pair = names[code.lowercased()] else { return code }
        return language == .korean ? pair.ko : pair.en
    }

    /// Korean when `code` is `ko`, or, without a code, when `text` contains Hangul.
    public static func language(for code: String?, text: String) -> Language {
        if let code { return code.lowercased().hasPrefix("ko") ? .korean : .english }
        return text.unicodeScalars.contains(where: { (0xAC00...0xD7A3).contains($0.value) || (0x1100...0x11FF).contains($0.value) }) ? .korean : .english
    }

    /// Renders a recipe (or a step's own prompt source) with `variables`.
    static func render(_ source: String, name: String, _ variables: [String: Value]) throws(TemplateError) -> String {
        try Template(source, name: name).render(variables)
    }
}
