"""The known sentences the Documents fixture generators write into their DOCX, PPTX, XLSX, HWPX
and PDF files: one press release, so each reader's test looks for the same Korean and English
text whatever the format."""

KO = [
    "새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다.",
    "센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.",
    "참여 기업은 GPU 서버 사용료의 70%를 지원받는다.",
    "신청은 12월 15일까지 센터 누리집에서 받는다.",
]
EN = [
    "Daon Broadcasting today announced a 12-part documentary series about regional makers.",
    "Each 50-minute episode pairs one manufacturer with a studio.",
]
# A sentence only the PDF fixtures use, third on each page.
KO_LONG = "첫째, 기업이 보유한 문서와 상품 정보를 검색해 답변하는 검색 증강 생성 시스템 구축을 돕는다."
