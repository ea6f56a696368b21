"""Writes a 100-page text PDF for `baton bench documents --pdf` (issue 13's speed target is
stated for a 100-page PDF; the committed two-page LibreOffice fixture is the default).

Each page holds 45 lines of press-release prose in Helvetica, Flate-compressed, through the same
test-side writer as the PDF fixtures. Not committed (about 130 KB, made in a moment):

    python3 Tests/DocumentsTests/Fixtures/make_long_pdf.py /tmp/100-pages.pdf
"""
import sys

from make_pdf_fixtures import ENGLISH, english_content, flate, simple_document


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "100-pages.pdf"
    pages = []
    for page in range(100):
        lines = ["Page %d, line %d: %s" % (page + 1, n + 1, ENGLISH[(page + n) % len(ENGLISH)]) for n in range(45)]
        pages.append(english_content(lines, y=760))
    with open(path, "wb") as f:
        f.write(simple_document(pages, filter_fn=flate))
    print(path)


if __name__ == "__main__":
    main()
