import Testing
@testable import Template

/// Issue 19 item 11: template numbers never come out silently wrong. Each case of the issue
/// either gives jinja2's value (when it fits in 64 bits) or an error at its line:column; the
/// values were taken from jinja2 3.1 (Python 3.11).
@Suite struct TemplateNumberTests {
    /// jinja2's output for templates whose results fit.
    @Test(arguments: [
        ("{{ '12345678901234567' | int }}", "12345678901234567"),
        ("{{ 1e18 | int }}", "1000000000000000000"),
        ("{{ 9.2e18 | int }}", "9200000000000000000"),
        ("{{ '%.20f' % 1.0 }}", "1.00000000000000000000"),
        ("{{ 2 ** 62 }}", "4611686018427387904"),
    ])
    func valuesThatFitMatchJinja2(source: String, expected: String) throws {
        #expect(try Template(source, name: "n.j2").render([:]) == expected)
    }

    /// jinja2 gives a 301-digit integer, a billion-character string, or raises: Baton, with 64-bit
    /// integers and a render budget, must raise, never print a wrong value.
    @Test(arguments: [
        "{{ \"%.1000000000f\" % 1.0 }}",          // jinja2: 1,000,000,002 characters
        "{{ \"%99999999999999999999d\" % 1 }}",   // jinja2: ValueError: width too big
        "{{ '99999999999999999999' | int }}",     // jinja2: 99999999999999999999 (beyond 64 bits)
        "{{ 1e300 | int }}",                      // jinja2: a 301-digit integer
        "{{ 2.0 ** 100000 }}",                    // jinja2: OverflowError
        "{{ 2 ** 64 }}",                          // jinja2: 18446744073709551616 (beyond 64 bits)
    ])
    func valuesThatDoNotFitAreErrors(source: String) throws {
        let error = try #require(throws: TemplateError.self) { _ = try Template(source, name: "n.j2").render([:]) }
        #expect(error.description.hasPrefix("n.j2:1:"), "\(error)")
        print("\(source) -> \(error)")
    }
}
