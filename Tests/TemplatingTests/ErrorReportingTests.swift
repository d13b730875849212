import XCTest

@testable import Templating

/// Compile-time errors carry the template, line and column of the offending tag.
final class ErrorReportingTests: XCTestCase {
    private func compileError(
        _ templates: [String: String], missingPartials: TemplateLibrary.MissingPartials = .fail,
        file: StaticString = #filePath, line: UInt = #line
    ) -> TemplateError? {
        do {
            _ = try TemplateLibrary(templates: templates, missingPartials: missingPartials)
            XCTFail("expected a compile error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func assertSyntaxError(
        _ source: String, line: Int, column: Int, mentioning words: [String],
        file: StaticString = #filePath, testLine: UInt = #line
    ) {
        guard let error = compileError(["page": source], file: file, line: testLine) else { return }
        guard case .syntax(let message, let location) = error else {
            return XCTFail("expected a syntax error, got \(error)", file: file, line: testLine)
        }
        XCTAssertEqual(
            location, SourceLocation(template: "page", file: "page", line: line, column: column),
            file: file, line: testLine)
        for word in words {
            XCTAssertTrue(
                message.contains(word), "'\(message)' should mention '\(word)'", file: file, line: testLine)
        }
        XCTAssertTrue(
            error.description.hasPrefix("page:\(line):\(column): "), error.description,
            file: file, line: testLine)
    }

    func testUnclosedSectionPointsAtItsOpeningTag() {
        assertSyntaxError(
            "<ul>\n  {{#items}}\n  <li>{{name}}</li>\n</ul>\n", line: 2, column: 3,
            mentioning: ["unclosed", "items"])
    }

    func testMismatchedClosingTagNamesBothSections() {
        assertSyntaxError(
            "{{#outer}}\n{{#inner}}x{{/outer}}\n{{/inner}}", line: 2, column: 12,
            mentioning: ["outer", "inner", "line 2, column 1"])
    }

    func testClosingTagWithoutOpening() {
        assertSyntaxError("a\nb {{/stray}}", line: 2, column: 3, mentioning: ["stray"])
    }

    func testBadDelimiters() {
        assertSyntaxError("x\n\n   {{=<% =}}", line: 3, column: 4, mentioning: ["delimiter"])
        assertSyntaxError("{{=a=b c=}}", line: 1, column: 1, mentioning: ["delimiter"])
    }

    func testUnclosedTag() {
        assertSyntaxError("Hello\n{{name\n", line: 2, column: 1, mentioning: ["unclosed tag", "}}"])
        assertSyntaxError("{{=<% %>=}}\n<%name", line: 2, column: 1, mentioning: ["%>"])
    }

    func testInvalidNames() {
        assertSyntaxError("{{}}", line: 1, column: 1, mentioning: ["empty"])
        assertSyntaxError("{{a b}}", line: 1, column: 1, mentioning: ["a b"])
        assertSyntaxError("{{a..b}}", line: 1, column: 1, mentioning: ["a..b"])
    }

    func testColumnsCountCharactersNotBytes() {
        assertSyntaxError("é ü {{/x}}", line: 1, column: 5, mentioning: ["x"])
    }

    func testOnlyBlocksMayAppearInsideAParent() {
        let error = compileError(["base": "{{$a}}{{/a}}", "page": "{{<base}}\n{{#s}}{{/s}}\n{{/base}}"])
        XCTAssertEqual(error?.location?.line, 2)
        XCTAssertEqual(error?.location?.column, 1)
    }

    func testMissingPartialIsReportedWhereItIsUsed() {
        let error = compileError(["pages/home": "<main>\n  {{> partials/nav }}\n</main>"])
        XCTAssertEqual(
            error,
            .missingPartial(
                "partials/nav",
                at: SourceLocation(template: "pages/home", file: "pages/home", line: 2, column: 3)))
    }

    func testMissingParentIsReported() {
        let error = compileError(["page": "{{<layouts/none}}{{$a}}x{{/a}}{{/layouts/none}}"])
        guard case .missingPartial("layouts/none", let location)? = error else {
            return XCTFail("expected a missing partial error, got \(String(describing: error))")
        }
        XCTAssertEqual(location.line, 1)
    }

    func testLenientLibraryRendersMissingPartialsAsNothing() throws {
        let library = try TemplateLibrary(
            templates: ["page": "[{{>nope}}|{{<gone}}{{/gone}}]"], missingPartials: .renderEmpty)
        XCTAssertEqual(try library.renderString("page", TemplateValue.null), "[|]")
    }

    func testUnknownTemplateAtRenderTime() throws {
        let library = try TemplateLibrary(templates: ["a": "x"])
        XCTAssertThrowsError(try library.render("b", TemplateValue.null)) { error in
            XCTAssertEqual(error as? TemplateError, .unknownTemplate("b"))
        }
    }
}
