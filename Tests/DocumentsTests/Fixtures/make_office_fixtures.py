#!/usr/bin/env python3
"""Makes the DOCX, PPTX, XLSX, HWPX and ZIP fixtures of Baton's Documents tests.

Office files are written with python-docx, python-pptx, openpyxl and python-hwpx (PyPI) from known Korean and
English sentences; what those libraries cannot write (footnotes, text boxes, tracked changes) is
added as raw WordprocessingML through python-docx's own XML objects. Beside each document,
`NAME.sentences.txt` lists the sentences Baton's text must contain, in order. The ZIP fixtures
exercise the container: ZIP64 records, data descriptors, a zip bomb, unsafe entry names; each is
read back by Python's zipfile (CRCs checked) before it is written.

Run from anywhere: `python3 Tests/DocumentsTests/Fixtures/make_office_fixtures.py`.
"""
import copy
import datetime
import io
import os
import struct
import zipfile
import zlib

from document_sentences import EN, KO

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "office")

FIXED_TIME = datetime.datetime(2026, 12, 7, 9, 0, 0)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def sentences(name, lines):
    write(name + ".sentences.txt", ("\n".join(lines) + "\n").encode())


def fixed_core(props, title):
    props.title = title
    props.author = "Baton fixtures"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1


# ------------------------------------------------------------------------------------- DOCX

def make_docx():
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    d = docx.Document()
    fixed_core(d.core_properties, "생성형 AI 실무 센터 보도자료")
    d.add_heading("보도자료: 생성형 AI 실무 센터 개소", level=1)
    d.add_paragraph(KO[0])
    d.add_heading("지원 내용", level=2)
    d.add_paragraph(KO[1], style="List Bullet")
    d.add_paragraph(KO[2], style="List Number")

    # A table: the header spans both columns (gridSpan), the first column's two rows are merged (vMerge).
    t = d.add_table(rows=4, cols=2)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 1)).text = "지원 항목"
    t.cell(1, 0).text = "기간"
    t.cell(1, 1).text = "2년"
    merged = t.cell(2, 0).merge(t.cell(3, 0))
    merged.text = "대상"
    t.cell(2, 1).text = "중소기업 120곳"
    t.cell(3, 1).text = "지역 대학"

    # Tracked changes: an insertion (kept) and a deletion (left out).
    p = d.add_paragraph()
    p.add_run(EN[0] + " ")
    p._p.append(parse_xml(
        f'<w:ins xmlns:w="{W}" w:id="1" w:author="editor" w:date="2026-12-07T09:00:00Z">'
        f'<w:r><w:t xml:space="preserve">{EN[1]}</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(
        f'<w:del xmlns:w="{W}" w:id="2" w:author="editor" w:date="2026-12-07T09:00:00Z">'
        f'<w:r><w:delText>This deleted sentence must not appear.</w:delText></w:r></w:del>'))

    # A text box: DrawingML (mc:Choice) with a VML copy (mc:Fallback), as Word writes it.
    box = d.add_paragraph()
    box._p.append(parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f'<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>글상자: {KO[3]}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>'
        '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>글상자: {KO[3]}</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))

    # A footnote, referenced from the last paragraph.
    last = d.add_paragraph("문의: 센터 운영팀")
    last._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="1"/></w:r>'))
    footnotes = (
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>센터 누리집 주소는 추후 공지한다.</w:t></w:r></w:p></w:footnote>'
        '</w:footnotes>').encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", footnotes, d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)

    buffer = io.BytesIO()
    d.save(buffer)
    write("release.docx", buffer.getvalue())
    sentences("release", ["보도자료: 생성형 AI 실무 센터 개소", KO[0], "지원 내용", KO[1], KO[2], "지원 항목", "기간", "2년",
                          "대상", "중소기업 120곳", "지역 대학", EN[0], EN[1], "글상자: " + KO[3], "문의: 센터 운영팀",
                          "센터 누리집 주소는 추후 공지한다."])

    # python-docx's own reading, the reference the benchmark compares with.
    back = docx.Document(io.BytesIO(buffer.getvalue()))
    assert [p.text for p in back.paragraphs][1] == KO[0]


# ------------------------------------------------------------------------------------- PPTX

def make_pptx():
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    fixed_core(prs.core_properties, "다온방송 다큐멘터리 발표")
    s1 = prs.slides.add_slide(prs.slide_layouts[0])
    s1.shapes.title.text = "다온방송 다큐멘터리 시리즈"
    s1.placeholders[1].text = EN[0]
    s1.notes_slide.notes_text_frame.text = "발표자 노트: " + KO[3]

    s2 = prs.slides.add_slide(prs.slide_layouts[1])
    s2.shapes.title.text = "지원 내용"
    body = s2.placeholders[1].text_frame
    body.text = KO[1]
    sub = body.add_paragraph()
    sub.text = KO[2]
    sub.level = 1
    box = s2.shapes.add_textbox(Inches(1), Inches(6), Inches(6), Inches(1))
    box.text_frame.text = EN[1]

    s3 = prs.slides.add_slide(prs.slide_layouts[5])
    s3.shapes.title.text = "일정"
    table = s3.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 0).text = "지원 항목"
    table.cell(1, 0).text = "기간"
    table.cell(1, 1).text = "2년"
    table.cell(2, 0).text = "신청 마감"
    table.cell(2, 1).text = "12월 15일"

    buffer = io.BytesIO()
    prs.save(buffer)
    write("briefing.pptx", buffer.getvalue())
    sentences("briefing", ["다온방송 다큐멘터리 시리즈", EN[0], "발표자 노트: " + KO[3], "지원 내용", KO[1], KO[2], EN[1],
                           "일정", "지원 항목", "기간", "2년", "신청 마감", "12월 15일"])


# ------------------------------------------------------------------------------------- XLSX

def make_xlsx():
    import openpyxl

    wb = openpyxl.Workbook()
    fixed_core(wb.properties, "센터 예산")
    ws = wb.active
    ws.title = "예산"
    ws.append(["항목", "금액", "비율", "시작일"])
    ws.append(["GPU 서버 사용료", 1250000, 0.7, datetime.date(2027, 1, 8)])
    ws.append(["실무 교육", 480000.5, 0.3, datetime.datetime(2027, 3, 2, 9, 30)])
    ws["B2"].number_format = "#,##0"
    ws["B3"].number_format = "#,##0.00"
    ws["C2"].number_format = "0%"
    ws["C3"].number_format = "0%"
    ws["A5"] = "합계"
    ws["B5"] = 1730000.5
    ws.merge_cells("A7:D7")
    ws["A7"] = EN[0]

    notes = wb.create_sheet("Notes")
    notes["B3"] = KO[3]
    notes["C4"] = True
    notes["B5"] = 3.25

    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    # openpyxl 3.1 writes every string inline; Excel writes them to a shared-strings part. Move
    # the first sheet's strings there (with a phonetic guide, which is not text) so both kinds
    # are read, and keep one inline string on the second sheet.
    import re
    zin = zipfile.ZipFile(io.BytesIO(data))
    shared = []

    def to_shared(match):
        shared.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(shared) - 1}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>', to_shared, body.decode()).encode()
            elif info.filename == "xl/worksheets/sheet2.xml":
                text = body.decode()
                inline = '<c r="B6" t="inlineStr"><is><t>인라인 문자열 셀</t></is></c>'
                text = text.replace("</sheetData>", f'<row r="6">{inline}</row></sheetData>')
                body = text.encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId9"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            zout.writestr(info, body)
        items = "".join(f"<si><t>{t}</t></si>" for t in shared[:-1])
        items += f'<si><r><t>{shared[-1][:10]}</t></r><r><t>{shared[-1][10:]}</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>'
        zout.writestr(zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2026, 12, 7, 9, 0, 0)),
                      f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(shared)}" '
                      f'uniqueCount="{len(shared)}">{items}</sst>', compress_type=zipfile.ZIP_DEFLATED)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert back["예산"]["A2"].value == "GPU 서버 사용료" and back["예산"]["A7"].value == EN[0], back["예산"]["A7"].value
    write("budget.xlsx", out.getvalue())
    sentences("budget", ["예산", "항목", "금액", "비율", "시작일", "GPU 서버 사용료", "1,250,000", "70%", "2027-01-08",
                         "실무 교육", "480,000.50", "30%", "2027-03-02 09:30", "합계", "1730000.5", EN[0],
                         "Notes", KO[3], "TRUE", "3.25", "인라인 문자열 셀"])


# ------------------------------------------------------------------------------------- HWPX

def make_hwpx():
    import warnings
    import hwpx

    warnings.simplefilter("ignore", DeprecationWarning)
    d = hwpx.HwpxDocument.new()
    d.add_heading("보도자료: 생성형 AI 실무 센터 개소", level=1)
    d.add_paragraph(KO[0], inherit_style=False)  # by default a paragraph takes the heading's shape
    d.add_heading("지원 내용", level=2)
    d.add_paragraph(KO[1], inherit_style=False)
    d.add_paragraph(KO[2], inherit_style=False)
    d.set_list_format(paragraph_index=len(d.paragraphs) - 2, kind="bullet", level=1)
    t = d.add_table(3, 2)
    t.set_cell_text(0, 0, "지원 항목")
    t.merge_cells(0, 0, 0, 1)
    t.set_cell_text(1, 0, "기간")
    t.set_cell_text(1, 1, "2년")
    t.set_cell_text(2, 0, "신청 마감")
    t.set_cell_text(2, 1, "12월 15일")
    last = d.add_paragraph(KO[3], inherit_style=False)
    d.add_footnote("센터 누리집 주소는 추후 공지한다.", last)
    second = d.add_section()
    d.add_paragraph(EN[0], section=second, inherit_style=False)
    report = d.validate()
    assert not [i for i in report.issues if i.severity == "error"], report
    buffer = io.BytesIO()
    d.save_to_stream(buffer)
    write("notice.hwpx", buffer.getvalue())
    sentences("notice", ["보도자료: 생성형 AI 실무 센터 개소", KO[0], "지원 내용", KO[1], KO[2], "지원 항목", "기간", "2년",
                               "신청 마감", "12월 15일", KO[3], EN[0], "센터 누리집 주소는 추후 공지한다."])


# ------------------------------------------------------------------------------------- ZIP

class Unseekable(io.RawIOBase):
    """A write-only stream without seek, so zipfile writes data descriptors (flag bit 3)."""
    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        return len(data)


def zip64_archive(entries):
    """An archive whose central directory saturates every size and offset (0xFFFFFFFF) and
    whose end record saturates the count, so a reader must follow the ZIP64 extra fields,
    the ZIP64 end record and its locator (APPNOTE 4.3.14-4.3.15, 4.5.3)."""
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        raw = name.encode()
        deflated = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = deflated.compress(data) + deflated.flush()
        crc = zlib.crc32(data)
        offset = len(out)
        local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(body))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0x800, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(raw), len(local_extra))
        out += raw + local_extra + body
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(body), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0x800, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(raw), len(extra), 0, 0, 0, 0, 0xFFFFFFFF)
        central += raw + extra
    directory_offset = len(out)
    out += central
    zip64_end = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central), directory_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, zip64_end, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(out)


def checked(data, expected):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for name, body in expected:
            assert z.read(name) == body, name


def make_zips():
    entries = [("hello.txt", ("안녕하세요, Baton. " * 40).encode()), ("data/numbers.txt", "\n".join(map(str, range(500))).encode())]
    data = zip64_archive(entries)
    checked(data, entries)
    write("zip64.zip", data)

    stream = Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 7, 9, 0, 0)), body, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("stored.txt", date_time=(2026, 12, 7, 9, 0, 0)), b"stored as is", compress_type=zipfile.ZIP_STORED)
    data = bytes(stream.buffer)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(info.flag_bits & 0x08 for info in z.infolist()), "expected data descriptors"
    checked(data, entries + [("stored.txt", b"stored as is")])
    write("data-descriptor.zip", data)

    # 24 MB of zeros deflate to about 24 KB: a ratio near 1000.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2026, 12, 7, 9, 0, 0)), b"\0" * (24 << 20), compress_type=zipfile.ZIP_DEFLATED)
    write("bomb.zip", buffer.getvalue())

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["../evil.txt", "/etc/evil.txt", "C:/evil.txt", "good/../../evil.txt", "safe.txt"]:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 7, 9, 0, 0)), b"x " + name.encode())
    write("unsafe-names.zip", buffer.getvalue())


if __name__ == "__main__":
    make_docx()
    make_pptx()
    make_xlsx()
    make_hwpx()
    make_zips()
    print("wrote", sorted(os.listdir(OUT)))
