import XCTest

@testable import JSONSchema

final class RegexTests: XCTestCase {
    private func matches(
        _ pattern: String, _ text: String, file: StaticString = #filePath, line: UInt = #line
    ) -> Bool {
        do {
            return try ECMARegex(pattern).search(text) == .match
        } catch {
            XCTFail("pattern \(pattern) rejected: \(error.message)", file: file, line: line)
            return false
        }
    }

    func testBasicMatching() {
        XCTAssertTrue(matches("^a*$", "aaa"))
        XCTAssertFalse(matches("^a*$", "abc"))
        XCTAssertTrue(matches("a+", "xxaayy"))
        XCTAssertTrue(matches("[0-9]{2,}", "a31b"))
        XCTAssertFalse(matches("[0-9]{2,}", "answer 1"))
        XCTAssertTrue(matches("^(foo|bar)baz$", "barbaz"))
        XCTAssertFalse(matches("^(foo|bar)baz$", "bazbaz"))
        XCTAssertTrue(matches("^[a-z][a-z0-9_-]*$", "my-connector_1"))
        XCTAssertFalse(matches("^[a-z][a-z0-9_-]*$", "My connector"))
        XCTAssertTrue(matches("^\\d{3}-\\d{4}$", "555-1234"))
        XCTAssertFalse(matches("^\\d$", "٣"))
        XCTAssertFalse(matches("^\\w$", "é"))
        XCTAssertTrue(matches("^.$", "🐲"))
        XCTAssertFalse(matches("^.$", "\n"))
        XCTAssertFalse(matches("^abc$", "abc\n"))
        XCTAssertTrue(matches("^a{2,3}?$", "aaa"))
        XCTAssertTrue(matches("\\bfoo\\b", "a foo."))
        XCTAssertFalse(matches("\\bfoo\\b", "afoo"))
        XCTAssertTrue(matches("^[^]$", "\n"))
        XCTAssertFalse(matches("[]", "a"))
        XCTAssertTrue(matches("^\\u{1F600}\\u0041\\x42$", "😀AB"))
        XCTAssertTrue(matches("^\\cC$", "\u{3}"))
        XCTAssertTrue(matches("^\\s+$", "\u{FEFF} \t\u{A0}"))
        XCTAssertTrue(matches("^[\\w.+-]+@[\\w-]+\\.[\\w.]+$", "joe.bloggs+x@example.co.uk"))
    }

    func testGroupsLookaroundAndBackreferences() {
        XCTAssertTrue(matches("^(?<n>a+)b\\k<n>$", "aabaa"))
        XCTAssertFalse(matches("^(?<n>a+)b\\k<n>$", "aaba"))
        XCTAssertTrue(matches("^(a)(b)\\2\\1$", "abba"))
        XCTAssertTrue(matches("(?<=a+)b", "aab"))
        XCTAssertFalse(matches("(?<!a)b", "ab"))
        XCTAssertTrue(matches("^(?=.*\\d)(?=.*[a-z]).{8,}$", "passw0rdx"))
        XCTAssertFalse(matches("^(?=.*\\d)(?=.*[a-z]).{8,}$", "password"))
        XCTAssertTrue(matches("^(?:a|ab)(?:c|bcd)$", "abcd"))
        XCTAssertTrue(matches("^(a*)*$", "aaaa"))
        XCTAssertFalse(matches("^(a*)*$", "aaab"))
    }

    func testUnicodeProperties() {
        XCTAssertTrue(matches("^\\p{Letter}+$", "Hello"))
        XCTAssertTrue(matches("^\\p{L}+$", "π"))
        XCTAssertFalse(matches("^\\p{Letter}+$", "123"))
        XCTAssertTrue(matches("^\\P{Lu}+$", "abc"))
        XCTAssertTrue(matches("^[\\p{Nd}x]+$", "12x٣"))
    }

    func testInvalidPatternsAreRejected() {
        for pattern in [
            "^(abc]", "\\a", "(?P<name>x)", "(?i)abc", "(?#c)a", "a{2,1}", "*a", "a**", "(", ")",
            "[b-a]", "\\1", "\\k<x>", "\\p{Script=Greek}", "a{", "}", "]", "(?=a)*", "[\\d-z]", "\\-",
        ] {
            XCTAssertThrowsError(try ECMARegex(pattern), pattern)
        }
        for pattern in [
            "(?<name>x)", "(?<n>a)\\k<n>", "(?<=a+)b", "[]", "[^]", "\\cA", "[\\-]", "\\/", "a{1,}",
        ] {
            XCTAssertNoThrow(try ECMARegex(pattern), pattern)
        }
    }

    func testCatastrophicBacktrackingIsBounded() throws {
        let regex = try ECMARegex("^(a+)+$")
        XCTAssertEqual(regex.search(String(repeating: "a", count: 40) + "b"), .tooComplex)
    }
}
