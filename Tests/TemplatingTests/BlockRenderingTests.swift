import XCTest

@testable import Templating

/// Rendering one block of a page: the fragment an HTMX request swaps in.
final class BlockRenderingTests: XCTestCase {
    private func library() throws -> TemplateLibrary {
        try TemplateLibrary(templates: [
            "layouts/base":
                "<html>{{$title}}Site{{/title}}<main>\n  {{$content}}{{/content}}\n</main>{{$footer}}(c){{/footer}}",
            "layouts/section":
                "{{<layouts/base}}{{$content}}<nav/>{{$body}}section body{{/body}}{{/content}}{{/layouts/base}}",
            "pages/catalog":
                "{{<layouts/base}}{{$content}}\n<ul>\n{{#items}}\n  <li>{{.}}</li>\n{{/items}}\n</ul>\n{{/content}}{{/layouts/base}}",
            "pages/report": "{{<layouts/section}}{{$body}}report for {{who}}{{/body}}{{/layouts/section}}",
        ])
    }

    func testRendersTheOverrideOfABlockUnindented() throws {
        let library = try library()
        let fragment = try library.render("pages/catalog", block: "content", ["items": ["a", "<b>"]])
        XCTAssertEqual(
            String(decoding: fragment, as: UTF8.self), "<ul>\n  <li>a</li>\n  <li>&lt;b&gt;</li>\n</ul>\n")
    }

    func testFallsBackToTheDefaultsOfTheChain() throws {
        let library = try library()
        let render = { (page: String, block: String) in
            String(decoding: try library.render(page, block: block, ["who": "Ada"]), as: UTF8.self)
        }
        XCTAssertEqual(try render("pages/report", "body"), "report for Ada")
        XCTAssertEqual(try render("pages/report", "content"), "<nav/>report for Ada")
        XCTAssertEqual(try render("pages/report", "footer"), "(c)")
        XCTAssertEqual(try render("layouts/base", "title"), "Site")
    }

    func testUnknownBlock() throws {
        let library = try library()
        XCTAssertThrowsError(try library.render("pages/catalog", block: "sidebar", TemplateValue.null)) {
            error in
            XCTAssertEqual(error as? TemplateError, .unknownBlock("sidebar", template: "pages/catalog"))
        }
        XCTAssertThrowsError(try library.render("pages/report", block: "nope", TemplateValue.null))
    }
}
