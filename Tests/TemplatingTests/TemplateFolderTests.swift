import Foundation
import XCTest

@testable import Templating

/// Libraries loaded from a folder of `.mustache` files, and reloading them.
final class TemplateFolderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("templating-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    private func write(_ relativePath: String, _ text: String) throws {
        let url = folder.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func writeSite() throws {
        try write("layouts/base.mustache", "<title>{{$title}}Site{{/title}}</title>{{$content}}{{/content}}")
        try write(
            "pages/catalog.mustache",
            "{{<layouts/base}}{{$content}}{{#items}}{{>partials/card}}{{/items}}"
                + "{{/content}}{{/layouts/base}}")
        try write("partials/card.mustache", "<div>{{name}}</div>")
        try write("partials/notes.txt", "not a template {{")
    }

    func testNamesTemplatesByRelativePathWithoutExtension() throws {
        try writeSite()
        let library = try TemplateLibrary(directory: folder.path)
        XCTAssertEqual(library.templateNames, ["layouts/base", "pages/catalog", "partials/card"])
        XCTAssertTrue(library.hasTemplate(named: "partials/card"))
        XCTAssertFalse(library.hasTemplate(named: "partials/notes"))
        XCTAssertEqual(
            try library.renderString("pages/catalog", ["items": [["name": "A"], ["name": "B"]]]),
            "<title>Site</title><div>A</div><div>B</div>")
    }

    func testErrorsNameTheFile() throws {
        try writeSite()
        try write("partials/broken.mustache", "<ul>\n{{#items}}\n<li>{{/item}}\n</ul>")
        XCTAssertThrowsError(try TemplateLibrary(directory: folder.path)) { error in
            guard case .syntax(_, let location)? = error as? TemplateError else {
                return XCTFail("expected a syntax error, got \(error)")
            }
            XCTAssertEqual(location.template, "partials/broken")
            XCTAssertEqual(location.file, folder.appendingPathComponent("partials/broken.mustache").path)
            XCTAssertEqual(location.line, 3)
            XCTAssertEqual(location.column, 5)
        }
    }

    func testMissingFolder() {
        XCTAssertThrowsError(try TemplateLibrary(directory: folder.appendingPathComponent("nope").path)) {
            error in
            guard case .unreadable? = error as? TemplateError else { return XCTFail("got \(error)") }
        }
    }

    func testReloadPicksUpChangesAndKeepsWorkingTemplatesOnErrors() throws {
        try writeSite()
        let library = try TemplateLibrary(directory: folder.path)
        let value: TemplateValue = ["items": [["name": "A"]]]
        XCTAssertFalse(try library.reloadIfChanged())

        try write("partials/card.mustache", "<section>{{name}}</section>")
        XCTAssertTrue(try library.reloadIfChanged())
        XCTAssertEqual(
            try library.renderString("pages/catalog", value), "<title>Site</title><section>A</section>")
        XCTAssertFalse(try library.reloadIfChanged())

        try write("partials/card.mustache", "<section>{{#name}}</section>")
        XCTAssertThrowsError(try library.reloadIfChanged())
        XCTAssertEqual(
            try library.renderString("pages/catalog", value), "<title>Site</title><section>A</section>")

        try write("partials/card.mustache", "<p>{{name}}</p>")
        try write("partials/extra.mustache", "extra")
        XCTAssertTrue(try library.reloadIfChanged())
        XCTAssertEqual(try library.renderString("pages/catalog", value), "<title>Site</title><p>A</p>")
        XCTAssertEqual(try library.renderString("partials/extra", TemplateValue.null), "extra")
    }

    func testInMemoryLibrariesNeverReload() throws {
        let library = try TemplateLibrary(templates: ["a": "x"])
        XCTAssertFalse(try library.reloadIfChanged())
    }
}
