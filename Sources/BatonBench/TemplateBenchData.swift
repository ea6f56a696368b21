import Foundation
import Template

/// The benchmark's prompt: a campaign-copy prompt of about 2 KB as an agency writes them, with
/// loops, conditionals, filters, number formatting and Korean text.
enum TemplateBenchData {
    static let source = """
        {#- 캠페인 카피 생성 프롬프트 (벤치마크용) -#}
        당신은 {{ brand.name }}의 시니어 카피라이터입니다. 브랜드 톤은 "{{ brand.tone|default('친근하고 명확하게') }}"입니다.
        캠페인: {{ campaign.title|trim }} ({{ campaign.start }} ~ {{ campaign.end }})
        {% if campaign.goals %}
        ## 캠페인 목표
        {%- for goal in campaign.goals %}
        {{ loop.index }}. {{ goal.text|trim }}{% if goal.kpi %} — KPI: {{ goal.kpi }}{% endif %}
        {%- endfor %}
        {% endif %}
        ## 타깃
        {% for segment in audience -%}
        - {{ segment.name }} ({{ segment.age }}세, 비중 {{ segment.share|percent(0) }}): {{ segment.insight|truncate(60) }}
        {% endfor %}
        ## 채널별 요구사항
        {% for channel in channels|sort(attribute='priority') -%}
        ### {{ channel.name|upper }} — 최대 {{ channel.max_chars|format_number }}자
        {%- if channel.hashtags %}
        해시태그: {{ channel.hashtags|map('lower')|unique|join(' ') }}
        {%- endif %}
        {%- if channel.notes %}
        {%- for note in channel.notes %}
        * {{ note }}
        {%- endfor %}
        {%- endif %}
        {% endfor %}
        ## 참고 자료 ({{ references|length }}건 중 상위 {{ [references|length, 3]|min }}건)
        {% for ref in references[:3] -%}
        > [{{ ref.source }}] {{ ref.title }}: {{ ref.summary|truncate(80) }}
        {% endfor %}
        ## 이전 카피 예시
        {% for example in examples if example.approved -%}
        {{ loop.index }}) "{{ example.text }}" (CTR {{ example.ctr|percent(1) }})
        {% else -%}
        (승인된 예시 없음)
        {% endfor %}
        ## 제약
        - 금지어: {{ banned|unique|sort|join(', ') if banned else '없음' }}
        - 예산: {{ budget.total|format_number }}원 중 {{ budget.spent|format_number }}원 사용 ({{ (budget.spent / budget.total)|percent }})
        - 출력 형식: JSON {{ {'channel': 'string', 'copy': 'string', 'hashtags': ['string']}|tojson }}
        {% set ns = namespace(total=0) %}{% for c in channels %}{% set ns.total = ns.total + c.max_chars %}{% endfor -%}
        총 글자 수 한도: {{ ns.total|format_number }}자. 각 채널마다 카피 {{ variants|default(3) }}개를 작성하세요.
        """

    static let contextJSON = """
        {"brand": {"name": "오로라 커피", "tone": "따뜻하고 위트 있게"},
         "campaign": {"title": "  2025 여름 시즌 신메뉴 런칭  ", "start": "2025-06-01", "end": "2025-07-31",
           "goals": [{"text": "신메뉴 인지도 30% 상승", "kpi": "브랜드 검색량"}, {"text": " 매장 방문 유도 ", "kpi": "쿠폰 사용률"},
                     {"text": "SNS 공유 증가", "kpi": null}]},
         "audience": [{"name": "직장인", "age": "25-34", "share": 0.45, "insight": "점심 이후 오후 3시에 달달한 음료로 기분 전환을 원하며, 매장보다 테이크아웃을 선호한다."},
                      {"name": "대학생", "age": "19-24", "share": 0.35, "insight": "가성비와 인증샷을 중시한다."},
                      {"name": "가족", "age": "35-44", "share": 0.2, "insight": "주말 나들이에서 아이와 함께 즐길 메뉴를 찾는다."}],
         "channels": [{"name": "instagram", "priority": 1, "max_chars": 150, "hashtags": ["#Coffee", "#오로라", "#NEW", "#coffee"], "notes": ["이모지는 2개 이하", "첫 줄에 훅"]},
                      {"name": "naver", "priority": 2, "max_chars": 1200, "hashtags": [], "notes": ["검색 키워드 포함"]},
                      {"name": "kakao", "priority": 3, "max_chars": 300, "hashtags": ["#Event"], "notes": []},
                      {"name": "youtube", "priority": 4, "max_chars": 5000, "hashtags": ["#Shorts"], "notes": ["자막용 짧은 문장"]}],
         "references": [{"source": "내부", "title": "작년 여름 캠페인 리뷰", "summary": "아이스 음료 중심의 여름 캠페인은 20대 고객층에서 높은 반응을 얻었고, 특히 한정판 굿즈가 방문을 크게 늘렸다."},
                        {"source": "리서치", "title": "경쟁사 분석", "summary": "경쟁사는 가격 할인을 주로 사용한다."},
                        {"source": "SNS", "title": "소셜 리스닝", "summary": "'여름 한정' 키워드 언급량이 6월에 급증한다."},
                        {"source": "내부", "title": "미사용 자료", "summary": "표시되지 않음"}],
         "examples": [{"text": "한 모금에 여름이 시작된다", "approved": true, "ctr": 0.0231},
                      {"text": "오후 3시, 오로라가 필요한 시간", "approved": true, "ctr": 0.0187},
                      {"text": "승인 안 된 문구", "approved": false, "ctr": 0.01}],
         "banned": ["최고", "1등", "최고", "유일"],
         "budget": {"total": 12500000, "spent": 4375000}}
        """

    static func context() throws -> [String: Value] {
        guard case .dict(let dict) = try Value(json: Data(contextJSON.utf8)) else { return [:] }
        var context: [String: Value] = [:]
        for (key, value) in zip(dict.keys, dict.values) { context[key] = value }
        return context
    }
}
