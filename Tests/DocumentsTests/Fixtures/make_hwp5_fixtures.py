#!/usr/bin/env python3
"""Makes the HWP 5.0 fixtures of Baton's Documents tests with a small test-side writer.

There is no PyPI package that writes HWP 5, so this file holds one, written from Hancom's
published format description ("한글 문서 파일 형식 5.0", revision 1.3): an OLE2 compound-file
writer (version 3, 512-byte sectors, FAT, mini-FAT and mini-stream, a balanced directory tree)
and the HWP records: FileHeader, DocInfo (document properties, ID mappings, paragraph shapes with
outline levels) and BodyText/SectionN (paragraph headers, UTF-16LE text with inline and extended
control characters, a section definition, a table control with its cells). Streams are raw
DEFLATE when the compressed flag is set.

Each document is cross-checked with pyhwp (`pip install pyhwp`): `hwp5txt` must print every
paragraph sentence in order, and pyhwp's record models must see the table's cells at their rows
and columns. Beside each document, `NAME.sentences.txt` lists the sentences Baton's text must
contain, in order.

Run from anywhere: `python3 Tests/DocumentsTests/Fixtures/make_hwp5_fixtures.py`.
"""
import os
import struct
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hwp")

# The known sentences are the office fixtures' own, so every format carries the same release.
sys.path.insert(0, HERE)
from make_office_fixtures import EN, KO  # noqa: E402


# ------------------------------------------------------------------------------------- OLE2

SECTOR = 512
MINI = 64
CUTOFF = 4096
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole2(streams, cyclic=None):
    """A compound file holding `streams` ({"BodyText/Section0": bytes, ...}); storages are made
    for the folders in the paths. `cyclic` names a stream (of at least 4096 bytes) whose FAT
    chain is bent back from its middle sector to its first, as a damaged file would have it."""
    # The directory: entry 0 is the root; storages and streams below it.
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    storages = {"": 0}
    for path in sorted(streams):
        parts = path.split("/")
        parent = ""
        for i, part in enumerate(parts[:-1]):
            key = "/".join(parts[:i + 1])
            if key not in storages:
                storages[key] = len(entries)
                entries.append({"name": part, "type": 1, "children": [], "data": b""})
                entries[storages[parent]]["children"].append(storages[key])
            parent = key
        entries.append({"name": parts[-1], "type": 2, "children": [], "data": streams[path]})
        entries[storages[parent]]["children"].append(len(entries) - 1)

    sectors = []  # 512-byte blocks after the header
    fat = []

    def allocate(data):
        if not data:
            return ENDOFCHAIN
        first = len(sectors)
        count = (len(data) + SECTOR - 1) // SECTOR
        for i in range(count):
            sectors.append(data[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + i + 1 if i + 1 < count else ENDOFCHAIN)
        return first

    # Small streams go to the mini-stream (64-byte sectors chained in the mini-FAT).
    mini_stream, mini_fat = b"", []
    for entry in entries:
        data = entry["data"]
        if entry["type"] != 2:
            continue
        if len(data) < CUTOFF:
            first = len(mini_stream) // MINI if data else ENDOFCHAIN
            count = (len(data) + MINI - 1) // MINI
            for i in range(count):
                mini_fat.append(first + i + 1 if i + 1 < count else ENDOFCHAIN)
            mini_stream += data.ljust(count * MINI, b"\0")
            entry["start"] = first
        else:
            entry["start"] = allocate(data)
            if cyclic == entry["name"]:
                fat[entry["start"] + (len(fat) - entry["start"]) // 2] = entry["start"]
    entries[0]["start"] = allocate(mini_stream)
    entries[0]["data"] = mini_stream
    mini_fat_bytes = b"".join(struct.pack("<I", x) for x in mini_fat)
    mini_fat_start = allocate(mini_fat_bytes)

    # Each storage's children as a balanced binary tree, ordered as [MS-CFB] sorts names
    # (shorter first, then by upper-cased UTF-16).
    def key(i):
        name = entries[i]["name"]
        return (len(name), name.upper())

    def balanced(ids):
        if not ids:
            return NOSTREAM
        mid = len(ids) // 2
        entries[ids[mid]]["left"] = balanced(ids[:mid])
        entries[ids[mid]]["right"] = balanced(ids[mid + 1:])
        return ids[mid]

    for entry in entries:
        entry.setdefault("left", NOSTREAM)
        entry.setdefault("right", NOSTREAM)
    for entry in entries:
        entry["child"] = balanced(sorted(entry["children"], key=key)) if entry["children"] else NOSTREAM
    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        start = entry.get("start", ENDOFCHAIN if entry["type"] != 1 else 0)
        size = len(entry["data"]) if entry["type"] in (2, 5) else 0
        directory += (name.ljust(64, b"\0") + struct.pack("<HBB", len(name), entry["type"], 1)
                      + struct.pack("<III", entry["left"], entry["right"], entry["child"])
                      + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))
    directory = directory.ljust((len(directory) + SECTOR - 1) // SECTOR * SECTOR, b"\0")
    directory_start = allocate(directory)

    # The FAT goes last; it must also cover its own sectors.
    data_count = len(sectors)
    fat_count = 1
    while (data_count + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    assert fat_count <= 109, "this writer keeps the DIFAT in the header"
    fat_first = data_count
    fat += [FATSECT] * fat_count
    fat += [FREESECT] * (fat_count * (SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)
    for i in range(fat_count):
        sectors.append(fat_bytes[i * SECTOR:(i + 1) * SECTOR])

    header = (bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_count, directory_start, 0, CUTOFF,
                            mini_fat_start if mini_fat else ENDOFCHAIN, (len(mini_fat_bytes) + SECTOR - 1) // SECTOR,
                            ENDOFCHAIN, 0))
    difat = [fat_first + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header += b"".join(struct.pack("<I", x) for x in difat)
    assert len(header) == 512
    return header + b"".join(sectors)


# ------------------------------------------------------------------------------------- HWP records

# Tag ids (HWPTAG_BEGIN = 0x10).
DOCUMENT_PROPERTIES, ID_MAPPINGS, FACE_NAME, CHAR_SHAPE, PARA_SHAPE, STYLE = 16, 17, 19, 21, 25, 26
PARA_HEADER, PARA_TEXT, PARA_CHAR_SHAPE, PARA_LINE_SEG = 66, 67, 68, 69
CTRL_HEADER, LIST_HEADER, PAGE_DEF, TABLE = 71, 72, 73, 77


def record(tag, level, data):
    """A record: a 32-bit header (tag 10 bits, level 10 bits, size 12 bits; 0xFFF and a 32-bit
    size after it for long records) and the data."""
    if len(data) < 0xFFF:
        return struct.pack("<I", tag | level << 10 | len(data) << 20) + data
    return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(data)) + data


def chid(name):
    """A control id as the format stores it: the four characters packed big-end first into a
    little-endian UINT32 ('tbl ' is stored as b' lbt')."""
    a, b, c, d = (ord(x) for x in name)
    return struct.pack("<I", a << 24 | b << 16 | c << 8 | d)


def extended(code, name):
    """An extended control character: 8 UTF-16 units (the code, the control id, 8 reserved
    bytes, the code again); its object follows as a CTRL_HEADER record."""
    return struct.pack("<H", code) + chid(name) + b"\0" * 8 + struct.pack("<H", code)


def tab():
    """A tab: an inline control character, 8 units (the code, its width and kind, the code)."""
    return struct.pack("<H", 9) + struct.pack("<I", 4000) + bytes([1, 0]) + b"\0" * 6 + struct.pack("<H", 9)


def para_shape(heading_level=None):
    """A paragraph shape (표 38); an outline heading when `heading_level` (1-based) is given:
    attribute bits 23-24 = 1 (outline), bits 25-27 = level - 1."""
    flags = 0
    if heading_level is not None:
        flags |= 1 << 23 | (heading_level - 1) << 25
    return struct.pack("<IiiiiiiHHHhhhhI", flags, 0, 0, 0, 0, 0, 160, 0, 0, 0, 0, 0, 0, 0, 0)


def doc_info(sections, shapes):
    data = record(DOCUMENT_PROPERTIES, 0, struct.pack("<HHHHHHHIII", sections, 1, 1, 1, 1, 1, 1, 0, 0, 0))
    data += record(ID_MAPPINGS, 0, struct.pack("<16I", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, len(shapes), 0, 0))
    for shape in shapes:
        data += record(PARA_SHAPE, 0, shape)
    return data


class Section:
    """The records of one BodyText/SectionN stream."""

    def __init__(self):
        self.data = b""

    def paragraph(self, text, level=0, shape=0, controls=b"", children=b"", last=False, prefix=b""):
        """A paragraph: the header, its text (controls first, then `text` with `\t` as inline
        tabs, ending in the paragraph break), one character-shape run, one line segment, then the
        control objects (`children`) one level down."""
        units = prefix + controls
        parts = text.split("\t")
        for i, piece in enumerate(parts):
            if i:
                units += tab()
            units += piece.replace("\n", "\x0a").replace("\u00a0", "\x1e").encode("utf-16-le")
        units += struct.pack("<H", 13)
        nchars = len(units) // 2
        control_mask = 0
        if controls or prefix:
            control_mask = 1 << 11 | 1 << 2
        header = struct.pack("<IIHBBHHHI", nchars | (0x80000000 if last else 0), control_mask, shape, 0, 0, 1, 0, 1, 0)
        header += struct.pack("<H", 0)  # change-tracking merge flag (5.0.3.2)
        out = record(PARA_HEADER, level, header)
        out += record(PARA_TEXT, level + 1, units)
        out += record(PARA_CHAR_SHAPE, level + 1, struct.pack("<II", 0, 0))
        out += record(PARA_LINE_SEG, level + 1, struct.pack("<iiiiiiiiI", 0, 0, 1000, 1000, 850, 600, 0, 42520, 0x60000))
        out += children
        return out

    def add(self, *args, **kwargs):
        self.data += self.paragraph(*args, **kwargs)


def section_definition(level):
    """A `secd` control (표 129) with its page definition, as Hangul writes at the start of every section."""
    data = chid("secd") + struct.pack("<IHHHIHHHHHII", 0, 1134, 0, 0, 8000, 0, 1, 0, 0, 0, 0, 0)
    out = record(CTRL_HEADER, level, data)
    out += record(PAGE_DEF, level + 1, struct.pack("<9II", 59528, 84188, 8504, 8504, 5668, 4252, 4252, 4252, 0, 0))
    return out


def table(level, rows, spans):
    """A table control (표 64 common object properties, ending in an empty description string;
    표 70 table) whose cells are
    (row, col, rowspan, colspan, text); each cell is a LIST_HEADER with one paragraph."""
    n_rows = len(rows)
    n_cols = max(c + cs for r in spans for (_, c, _, cs, _) in [r]) if spans else 0
    cells = sorted(spans, key=lambda s: (s[0], s[1]))
    common = chid("tbl ") + struct.pack("<IiiIIhhhhhhIhH", 0x082A2311, 0, 0, 42520, 3000, 0, 0, 283, 283, 283, 283, 1, 0, 0)
    out = record(CTRL_HEADER, level, common)
    row_cells = [sum(1 for c in cells if c[0] == r) for r in range(n_rows)]
    body = struct.pack("<IHHh4h", 0x04000006, n_rows, n_cols, 0, 510, 510, 141, 141)
    body += b"".join(struct.pack("<H", x) for x in row_cells) + struct.pack("<HH", 1, 0)
    out += record(TABLE, level + 1, body)
    section = Section()
    for (row, col, rowspan, colspan, text) in cells:
        header = struct.pack("<HHI", 1, 0, 0x20) + struct.pack("<HHHHiihhhhHi", col, row, colspan, rowspan, 10000, 1000, 510, 510, 141, 141, 1, 0)
        out += record(LIST_HEADER, level + 1, header)
        out += section.paragraph(text, level=level + 1, last=True)
    return out


def summary_information():
    """The `\\005HwpSummaryInformation` property set ([MS-OLEPS]) under HWP's format id
    {9FA2B660-1061-11D4-B4C6-006097C09D8C}, with no properties: pyhwp requires the stream (and a
    set with properties would also need a dictionary); Baton does not read it."""
    fmtid = bytes.fromhex("60B6A29F6110D411B4C6006097C09D8C")
    section = struct.pack("<II", 8, 0)
    return struct.pack("<HHI", 0xFFFE, 0, 0x00020006) + b"\0" * 16 + struct.pack("<I", 1) + fmtid + struct.pack("<I", 48) + section


def file_header(compressed, password=False, distribution=False):
    flags = (1 if compressed else 0) | (2 if password else 0) | (4 if distribution else 0)
    return b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags) + b"\0" * 216


def deflate(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def hwp(sections, shapes, compressed=True, password=False, distribution=False, cyclic=None):
    pack = deflate if compressed else (lambda b: b)
    streams = {"FileHeader": file_header(compressed, password, distribution), "DocInfo": pack(doc_info(len(sections), shapes))}
    for i, section in enumerate(sections):
        streams["BodyText/Section%d" % i] = pack(section)
    streams["\x05HwpSummaryInformation"] = summary_information()
    streams["PrvText"] = "\n".join(s for s in KO[:1]).encode("utf-16-le")
    return ole2(streams, cyclic)


# ------------------------------------------------------------------------------------- documents

SHAPES = [para_shape(), para_shape(heading_level=1), para_shape(heading_level=2)]
TABLE_CELLS = [(0, 0, 1, 2, "지원 항목"), (1, 0, 1, 1, "기간"), (1, 1, 1, 1, "2년"),
               (2, 0, 2, 1, "대상"), (2, 1, 1, 1, "중소기업 120곳"), (3, 1, 1, 1, "지역 대학")]


def notice_sections():
    """The press release: a heading, paragraphs (one with an inline tab, a line break and a
    non-breaking space), a table, English text; then a second section."""
    first = Section()
    first.add("보도자료: 생성형 AI 실무 센터 개소", shape=1, controls=extended(2, "secd"), children=section_definition(1))
    first.add(KO[0])
    first.add("지원 내용", shape=2)
    first.add("기간\t" + KO[1])
    first.add(KO[2] + "\n" + "문의:\u00a0센터 운영팀")
    first.add("", controls=extended(11, "tbl "), children=table(1, [0, 1, 2, 3], TABLE_CELLS))
    first.add(EN[0] + " " + EN[1], last=True)
    second = Section()
    second.add(KO[3], controls=extended(2, "secd"), children=section_definition(1), last=True)
    return [first.data, second.data]


NOTICE_PARAGRAPHS = ["보도자료: 생성형 AI 실무 센터 개소", KO[0], "지원 내용", "기간", KO[1], KO[2], "문의:", "센터 운영팀",
                     EN[0], EN[1], KO[3]]
NOTICE_SENTENCES = NOTICE_PARAGRAPHS[:8] + [cell[4] for cell in TABLE_CELLS] + NOTICE_PARAGRAPHS[8:]


def long_sections():
    """Enough paragraphs that the uncompressed section passes the 4096-byte mini-stream cutoff
    and is read through the FAT."""
    section = Section()
    lines = []
    for i in range(60):
        line = "%d. %s %s" % (i + 1, KO[i % 4], EN[i % 2])
        lines.append(line)
        first = dict(controls=extended(2, "secd"), children=section_definition(1)) if i == 0 else {}
        section.add(line, last=(i == 59), **first)
    return [section.data], lines


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def cross_check(name, sentences):
    """hwp5txt prints the paragraph sentences in order (it shows a table as <표>)."""
    path = os.path.join(OUT, name)
    text = subprocess.run(["hwp5txt", path], check=True, capture_output=True).stdout.decode()
    flat = "".join(text.split())
    at = 0
    for sentence in sentences:
        found = flat.find("".join(sentence.split()), at)
        assert found >= 0, "hwp5txt misses %r in %s:\n%s" % (sentence, name, text)
        at = found


def cross_check_table(name):
    """pyhwp's record models see the table's cells at their rows, columns and spans."""
    from hwp5.xmlmodel import Hwp5File
    from hwp5.binmodel import TableCell
    cells = []
    hwp5file = Hwp5File(os.path.join(OUT, name))
    for model in hwp5file.bodytext.section(0).models():
        if model["type"] is TableCell:
            c = model["content"]
            cells.append((c["row"], c["col"], c["rowspan"], c["colspan"]))
    assert cells == [(r, c, rs, cs) for (r, c, rs, cs, _) in TABLE_CELLS], cells


def main():
    notice = notice_sections()
    write("notice.hwp", hwp(notice, SHAPES))
    write("notice.sentences.txt", ("\n".join(NOTICE_SENTENCES) + "\n").encode())
    write("notice-uncompressed.hwp", hwp(notice, SHAPES, compressed=False))
    sections, lines = long_sections()
    write("long.hwp", hwp(sections, SHAPES, compressed=False))
    write("long.sentences.txt", ("\n".join(lines) + "\n").encode())
    write("cyclic-fat.hwp", hwp(sections, SHAPES, compressed=False, cyclic="Section0"))
    write("password.hwp", hwp(notice, SHAPES, password=True))
    write("distribution.hwp", hwp(notice, SHAPES, distribution=True))
    for name, sentences in [("notice.hwp", NOTICE_PARAGRAPHS), ("notice-uncompressed.hwp", NOTICE_PARAGRAPHS), ("long.hwp", lines)]:
        cross_check(name, sentences)
    cross_check_table("notice.hwp")
    print("wrote", ", ".join(sorted(os.listdir(OUT))))


if __name__ == "__main__":
    sys.exit(main())
