import Base
import Testing

/// The one markup escaper behind the console's pages (`html`), the template engine's `escape`
/// filter (`jinja`, byte-equal to markupsafe) and the DOCX/HWPX writers (`xml`): each dialect's
/// full output for text that holds every special character, Hangul, an emoji and the controls
/// XML 1.0 forbids.
@Suite struct MarkupEscapingTests {
    static let sample = "a&b<c>d\"e'f 한글 🙂\t\n\r\u{0}\u{1}\u{8}\u{B}\u{1F}\u{FFFE}\u{FFFF}\u{FFFD}z"

    @Test(arguments: [
        (MarkupEscaping.html, "a&amp;b&lt;c&gt;d&quot;e&#39;f 한글 🙂\t\n\r\u{0}\u{1}\u{8}\u{B}\u{1F}\u{FFFE}\u{FFFF}\u{FFFD}z"),
        (MarkupEscaping.jinja, "a&amp;b&lt;c&gt;d&#34;e&#39;f 한글 🙂\t\n\r\u{0}\u{1}\u{8}\u{B}\u{1F}\u{FFFE}\u{FFFF}\u{FFFD}z"),
        (MarkupEscaping.xml, "a&amp;b&lt;c&gt;d&quot;e'f 한글 🙂\t\n\r\u{FFFD}z"),
    ])
    func eachDialectEscapesItsCharactersAndKeepsTheRest(dialect: MarkupEscaping, expected: String) {
        #expect(dialect.escape(Self.sample) == expected)
    }

    @Test func appendingEscapesOnlyTheAppendedText() {
        var out = "<p>"
        MarkupEscaping.html.escape("1 < 2", into: &out)
        #expect(out == "<p>1 &lt; 2")
    }
}
