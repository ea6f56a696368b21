#!/usr/bin/env python3
"""Makes the PDF fixtures of Baton's PDF reader tests and their reference texts.

Two kinds of PDF:
  * LibreOffice PDFs: a DOCX written with python-docx from known Korean/English sentences,
    converted by `soffice --headless --convert-to pdf` (Debian libreoffice-writer-nogui with
    fonts-nanum, so Korean text is in Identity-H CID fonts with ToUnicode CMaps). pdfminer.six's
    text of each is stored beside it (`NAME.pdfminer.txt`) together with the known sentences
    (`NAME.sentences.txt`); the similarity pdfminer reaches against Baton's reading is checked in
    Swift, and here we print pdfminer's own similarity to the sentences for the record.
  * Hand-built PDFs that exercise one feature each (xref streams and object streams, incremental
    updates, LZW / ASCII85 / ASCIIHex filters with PNG predictors, WinAnsi + Differences,
    the standard security handler with RC4 and AES-128, a page with no text), written by the
    small PDF writer below from the PDF 1.7 specification (ISO 32000-1). pdfminer reads each too,
    and its text is stored as the reference.

Run from anywhere: `python3 Tests/DocumentsTests/Fixtures/make_pdf_fixtures.py`.
"""
import base64
import difflib
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

from document_sentences import EN, KO, KO_LONG

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pdf")

# Each page: the first three before the table, the rest after it.
KOREAN_SENTENCES = KO[:2] + [KO_LONG, EN[0]] + KO[2:]
TABLE_ROWS = [["항목", "내용"], ["기간", "2년"], ["대상", "중소기업 120곳"]]


def similarity(a, b):
    """Character-level similarity of two texts with whitespace removed (difflib ratio)."""
    a = "".join(a.split())
    b = "".join(b.split())
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def pdfminer_text(path):
    # pdfminer's default line_margin (0.5) merges LibreOffice's separately placed Korean and Latin
    # runs of neighbouring lines into one box and scrambles their order; 0.1 keeps lines apart.
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    return extract_text(path, laparams=LAParams(line_margin=0.1))


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------- LibreOffice PDFs

def make_docx(path, pages):
    import docx
    from docx.enum.text import WD_BREAK
    d = docx.Document()
    d.core_properties.title = "생성형 AI 실무 센터"
    d.add_heading("보도자료: 생성형 AI 실무 센터 개소", level=1)
    for i in range(pages):
        for s in KOREAN_SENTENCES[:3]:
            d.add_paragraph(s)
        if i == 0:
            t = d.add_table(rows=len(TABLE_ROWS), cols=2)
            t.style = "Table Grid"
            for r, row in enumerate(TABLE_ROWS):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
        for s in KOREAN_SENTENCES[3:]:
            d.add_paragraph(s)
        if i + 1 < pages:
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.save(path)


def libreoffice_pdf(name, pages):
    tmp = tempfile.mkdtemp()
    try:
        docx_path = os.path.join(tmp, name + ".docx")
        make_docx(docx_path, pages)
        subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + tmp + "/profile",
                        "--convert-to", "pdf", "--outdir", tmp, docx_path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(tmp, name + ".pdf"), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def known_text(pages):
    lines = ["보도자료: 생성형 AI 실무 센터 개소"]
    for i in range(pages):
        lines += KOREAN_SENTENCES[:3]
        if i == 0:
            lines += [c for row in TABLE_ROWS for c in row]
        lines += KOREAN_SENTENCES[3:]
    return lines


# ---------------------------------------------------------------------------- a small PDF writer

PAD = bytes([0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
             0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A])


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 255])
    return bytes(out)


def aes_cbc_encrypt(key, data, iv):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    pad = 16 - len(data) % 16
    data = data + bytes([pad]) * pad
    e = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + e.update(data) + e.finalize()


class Security:
    """The standard security handler, revision 3 (RC4 128-bit) or 4 (AESV2), ISO 32000-1 7.6.3."""

    def __init__(self, user, owner, aes, file_id):
        self.aes = aes
        self.r = 4 if aes else 3
        self.n = 16
        self.p = -3904  # print and copy allowed; the rest not (bits 1-2 and 7-8 set by the spec)
        upad = (user.encode() + PAD)[:32]
        opad = (owner.encode() + PAD)[:32]
        h = hashlib.md5(opad).digest()
        for _ in range(50):
            h = hashlib.md5(h[:self.n]).digest()
        okey = h[:self.n]
        o = rc4(okey, upad)
        for i in range(1, 20):
            o = rc4(bytes(b ^ i for b in okey), o)
        self.o = o
        h = hashlib.md5(upad + o + struct.pack("<i", self.p) + file_id).digest()
        for _ in range(50):
            h = hashlib.md5(h[:self.n]).digest()
        self.key = h[:self.n]
        u = rc4(self.key, hashlib.md5(PAD + file_id).digest())
        for i in range(1, 20):
            u = rc4(bytes(b ^ i for b in self.key), u)
        self.u = u + bytes(16)

    def encrypt(self, num, gen, data):
        k = self.key + struct.pack("<i", num)[:3] + struct.pack("<i", gen)[:2]
        if self.aes:
            k += b"sAlT"
        k = hashlib.md5(k).digest()[:min(self.n + 5, 16)]
        if self.aes:
            return aes_cbc_encrypt(k, data, hashlib.md5(b"iv" + k).digest())
        return rc4(k, data)

    def dictionary(self):
        if self.aes:
            return (b"<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /Length 16 "
                    b"/AuthEvent /DocOpen >> >> /StmF /StdCF /StrF /StdCF /O <" + self.o.hex().encode() +
                    b"> /U <" + self.u.hex().encode() + b"> /P " + str(self.p).encode() + b" >>")
        return (b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <" + self.o.hex().encode() + b"> /U <" +
                self.u.hex().encode() + b"> /P " + str(self.p).encode() + b" >>")


def lzw_encode(data):
    """LZW as PDF's LZWDecode reads it: 9-12 bit codes, MSB first, EarlyChange 1."""
    table = {bytes([i]): i for i in range(256)}
    nxt, width = 258, 9
    out, acc, nacc = bytearray(), 0, 0

    def emit(code):
        nonlocal acc, nacc
        acc = (acc << width) | code
        nacc += width
        while nacc >= 8:
            nacc -= 8
            out.append((acc >> nacc) & 255)

    emit(256)
    w = b""
    for b in data:
        wc = w + bytes([b])
        if wc in table:
            w = wc
            continue
        emit(table[w])
        table[wc] = nxt
        nxt += 1
        if nxt + 1 > (1 << width) and width < 12:
            width += 1
        if nxt >= 4094:
            emit(256)
            table = {bytes([i]): i for i in range(256)}
            nxt, width = 258, 9
        w = bytes([b])
    if w:
        emit(table[w])
        nxt += 1
        if nxt + 1 > (1 << width) and width < 12:
            width += 1
    emit(257)
    if nacc:
        out.append((acc << (8 - nacc)) & 255)
    return bytes(out)


def png_up(rows_data, columns):
    out = bytearray()
    prev = bytes(columns)
    for i in range(0, len(rows_data), columns):
        row = rows_data[i:i + columns]
        out.append(2)
        out += bytes((row[k] - prev[k]) & 255 for k in range(columns))
        prev = row
    return bytes(out)


class Writer:
    """Objects numbered from 1; `build` lays them out with a classic xref table or an xref stream
    that puts the non-stream objects in an object stream."""

    def __init__(self):
        self.objects = {}  # num -> (dict bytes, stream bytes or None)

    def add(self, body, stream=None, num=None):
        num = num or (max(self.objects, default=0) + 1)
        self.objects[num] = (body, stream)
        return num

    @staticmethod
    def serialize(num, body, stream, security):
        if stream is None:
            return b"%d 0 obj\n%s\nendobj\n" % (num, body)
        if security:
            stream = security.encrypt(num, 0, stream)
        return b"%d 0 obj\n%s /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
            num, body.rstrip()[:-2], len(stream), stream)

    def build(self, root, info=None, xref_stream=False, security=None, file_id=b"0123456789abcdef"):
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        enc_num = None
        if security:
            enc_num = self.add(security.dictionary())
        if not xref_stream:
            for num in sorted(self.objects):
                body, stream = self.objects[num]
                offsets[num] = len(out)
                out += self.serialize(num, body, stream, None if num == enc_num else security)
            size = max(self.objects) + 1
            xref = len(out)
            out += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
            for num in range(1, size):
                out += b"%010d 00000 n\r\n" % offsets[num]
            trailer = b"<< /Size %d /Root %d 0 R" % (size, root)
            if info:
                trailer += b" /Info %d 0 R" % info
            if security:
                trailer += b" /Encrypt %d 0 R" % enc_num
            trailer += b" /ID [<%s> <%s>] >>" % (file_id.hex().encode(), file_id.hex().encode())
            out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
            return bytes(out)
        # Streams stay top-level objects; everything else goes into one object stream.
        plain = [n for n in sorted(self.objects) if self.objects[n][1] is None]
        streams = [n for n in sorted(self.objects) if self.objects[n][1] is not None]
        objstm_num = max(self.objects) + 1
        xref_num = objstm_num + 1
        header, bodies = bytearray(), bytearray()
        index_in_stream = {}
        for i, n in enumerate(plain):
            header += b"%d %d " % (n, len(bodies))
            bodies += self.objects[n][0] + b"\n"
            index_in_stream[n] = i
        objstm = zlib.compress(bytes(header) + bytes(bodies))
        for n in streams:
            offsets[n] = len(out)
            out += self.serialize(n, self.objects[n][0], self.objects[n][1], None)
        offsets[objstm_num] = len(out)
        out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
            objstm_num, len(plain), len(header), len(objstm), objstm)
        offsets[xref_num] = len(out)
        size = xref_num + 1
        rows = bytearray()
        for n in range(size):
            if n == 0:
                rows += bytes([0, 0, 0, 0, 255])
            elif n in index_in_stream:
                rows += bytes([2]) + struct.pack(">I", objstm_num)[1:] + bytes([index_in_stream[n]])
            else:
                rows += bytes([1]) + struct.pack(">I", offsets[n])[1:] + bytes([0])
        data = zlib.compress(png_up(bytes(rows), 5))
        out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 3 1] /Root %d 0 R /Filter /FlateDecode "
                b"/DecodeParms << /Predictor 12 /Columns 5 >> /Length %d >>\nstream\n%s\nendstream\nendobj\n") % (
            xref_num, size, root, len(data), data)
        out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_num]
        return bytes(out)


def pdf_string(text, security=None, num=0):
    data = text.encode("cp1252")
    if security:
        data = security.encrypt(num, 0, data)
        return b"<" + data.hex().encode() + b">"
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


ENGLISH = [
    "Baton reads the press release of Daon Broadcasting.",
    "The series premieres on January 8, 2027 at 9:40 p.m.",
    "Each 50-minute episode pairs one manufacturer with a studio.",
]


def english_content(lines, x=72, y=720):
    parts = [b"BT /F1 12 Tf 14 TL %d %d Td" % (x, y)]
    for line in lines:
        parts.append(pdf_string(line) + b" Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def simple_document(contents, font=None, xref_stream=False, security=None, filter_fn=None, extra_pages=()):
    """A document of pages with one Helvetica (WinAnsi) font; contents are per-page streams."""
    w = Writer()
    catalog = w.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    w.add(b"", num=2)  # the page tree, filled in below
    font = font or b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    font_num = w.add(font)
    kids = []
    for content in list(contents) + list(extra_pages):
        body, data = b"<< >>", content
        if filter_fn:
            body, data = filter_fn(content)
        c = w.add(body, data)
        kids.append(w.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_num, c)))
    w.objects[2] = (b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)), None)
    return w.build(catalog, xref_stream=xref_stream, security=security)


def flate(content):
    return b"<< /Filter /FlateDecode >>", zlib.compress(content)


def chained_filters(content):
    """LZW, then ASCII85 over it, then ASCIIHex over that: /Filter [/ASCIIHexDecode /ASCII85Decode /LZWDecode]."""
    data = lzw_encode(content)
    data = base64.a85encode(data) + b"~>"
    data = data.hex().encode() + b">"
    return b"<< /Filter [/ASCIIHexDecode /ASCII85Decode /LZWDecode] >>", data


def flate_predictor(content):
    """Flate with the PNG Up predictor over 8-byte rows (padded with spaces to whole rows)."""
    content += b" " * (-len(content) % 8)
    return b"<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >> >>", zlib.compress(png_up(content, 8))


def incremental(base_lines, new_lines):
    """A file and an appended update that replaces page 1's content stream (a second xref section
    with /Prev)."""
    base = simple_document([english_content(base_lines)], filter_fn=flate)
    startxref = int(base.rsplit(b"startxref", 1)[1].split()[0])
    content = zlib.compress(english_content(new_lines))
    # In simple_document, object 4 is page 1's content stream.
    update = bytearray(b"4 0 obj\n<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(content), content))
    off = len(base)
    xref = off + len(update)
    update += b"xref\n0 1\n0000000000 65535 f\r\n4 1\n%010d 00000 n\r\n" % off
    update += b"trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (startxref, xref)
    return base + bytes(update)


def differences_font():
    # Codes 1-3 re-mapped by /Differences; the rest WinAnsi. "\x01" -> "fi", "\x02" -> "eacute", "\x03" -> "Euro".
    return b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /eacute /Euro] >> >>"


def encrypted_document(aes, user=""):
    file_id = hashlib.md5(b"baton-" + (b"aes" if aes else b"rc4") + user.encode()).digest()
    sec = Security(user, "owner-secret", aes, file_id)
    w = Writer()
    catalog = w.add(b"<< /Type /Catalog /Pages 3 0 R >>")
    info = w.add(b"")
    pages = w.add(b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>")
    assert pages == 3
    font = w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page = w.add(b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>")
    assert page == 5
    w.add(b"<< >>", english_content(ENGLISH))
    w.objects[info] = (b"<< /Title %s >>" % pdf_string("Encrypted release", sec, info), None)
    return w.build(catalog, info=info, security=sec, file_id=file_id)


def main():
    """Writes every fixture, or only those named on the command line (`rc4-empty-password.pdf`)."""
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    report = []

    def reference(name, make, sentences):
        if only and name not in only:
            return
        write(name, make())
        text = pdfminer_text(os.path.join(OUT, name))
        write(name.replace(".pdf", ".pdfminer.txt"), text.encode())
        write(name.replace(".pdf", ".sentences.txt"), ("\n".join(sentences) + "\n").encode())
        report.append("%-28s pdfminer vs sentences %.4f" % (name, similarity(text, "\n".join(sentences))))

    reference("libreoffice-korean.pdf", lambda: libreoffice_pdf("libreoffice-korean", 2), known_text(2))
    reference("xref-stream.pdf", lambda: simple_document([english_content(ENGLISH)], xref_stream=True, filter_fn=flate), ENGLISH)
    reference("filters-chain.pdf", lambda: simple_document([english_content(ENGLISH)], filter_fn=chained_filters), ENGLISH)
    reference("flate-predictor.pdf", lambda: simple_document([english_content(ENGLISH)], filter_fn=flate_predictor), ENGLISH)
    reference("incremental.pdf", lambda: incremental(["This line was replaced."], ENGLISH), ENGLISH)
    if not only or "differences.pdf" in only:
        diff_lines = ["Caf\x02 \x01les cost 5 \x03."]
        write("differences.pdf", simple_document([english_content(diff_lines)], font=differences_font()))
        write("differences.sentences.txt", "Café ﬁles cost 5 €.\n".encode())
    reference("rc4-empty-password.pdf", lambda: encrypted_document(aes=False), ENGLISH)
    reference("aes-empty-password.pdf", lambda: encrypted_document(aes=True), ENGLISH)
    if not only or "aes-user-password.pdf" in only:
        write("aes-user-password.pdf", encrypted_document(aes=True, user="secret"))
    reference("blank-page.pdf", lambda: simple_document([english_content(ENGLISH)], extra_pages=[b"0 0 m 100 100 l S"], filter_fn=flate), ENGLISH)
    print("\n".join(report))


if __name__ == "__main__":
    main()
