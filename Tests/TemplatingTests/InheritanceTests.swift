import XCTest

@testable import Templating

/// Page layouts through `{{<parent}}` and `{{$block}}`.
final class InheritanceTests: XCTestCase {
    private static let base = """
        <html>
        <head><title>{{$title}}Patchbay{{/title}}</title></head>
        <body>
          <nav>{{$nav}}<a href="/">Home</a>{{/nav}}</nav>
          <main>
            {{$content}}
            <p>Nothing here.</p>
            {{/content}}
          </main>
        </body>
        </html>

        """

    func testPageOverridesSomeBlocksAndKeepsOtherDefaults() throws {
        let library = try TemplateLibrary(templates: [
            "layouts/base": Self.base,
            "pages/catalog": """
            {{<layouts/base}}
            {{$title}}{{count}} connectors · Patchbay{{/title}}
            {{$content}}
            <h1>Catalog</h1>
            {{#items}}
            <p>{{.}}</p>
            {{/items}}
            {{/content}}
            {{/layouts/base}}

            """,
        ])
        let output = try library.renderString("pages/catalog", ["count": 2, "items": ["Slack", "S3 & co"]])
        XCTAssertEqual(
            output,
            """
            <html>
            <head><title>2 connectors · Patchbay</title></head>
            <body>
              <nav><a href="/">Home</a></nav>
              <main>
                <h1>Catalog</h1>
                <p>Slack</p>
                <p>S3 &amp; co</p>
              </main>
            </body>
            </html>

            """)
        XCTAssertEqual(
            try library.renderString("layouts/base", TemplateValue.null),
            """
            <html>
            <head><title>Patchbay</title></head>
            <body>
              <nav><a href="/">Home</a></nav>
              <main>
                <p>Nothing here.</p>
              </main>
            </body>
            </html>

            """)
    }

    func testNestedBlocksCanBeOverriddenSeparately() throws {
        let library = try TemplateLibrary(templates: [
            "base": "[{{$body}}<{{$inner}}default inner{{/inner}}>{{/body}}]",
            "innerOnly": "{{<base}}{{$inner}}new inner{{/inner}}{{/base}}",
            "bodyOnly": "{{<base}}{{$body}}new body{{/body}}{{/base}}",
            "bodyKeepingInner": "{{<base}}{{$body}}({{$inner}}kept{{/inner}}){{/body}}{{/base}}",
        ])
        XCTAssertEqual(try library.renderString("innerOnly", TemplateValue.null), "[<new inner>]")
        XCTAssertEqual(try library.renderString("bodyOnly", TemplateValue.null), "[new body]")
        XCTAssertEqual(try library.renderString("bodyKeepingInner", TemplateValue.null), "[(kept)]")
    }

    func testThreeLevelsWithTheMostDerivedOverrideWinning() throws {
        let library = try TemplateLibrary(templates: [
            "base": "<title>{{$title}}Base{{/title}}</title><main>{{$content}}{{/content}}</main>",
            "section": "{{<base}}{{$title}}Section{{/title}}{{$content}}<aside>{{$aside}}{{/aside}}</aside>"
                + "{{$main}}section main{{/main}}{{/content}}{{/base}}",
            "page": "{{<section}}{{$title}}Page{{/title}}{{$aside}}{{note}}{{/aside}}{{/section}}",
        ])
        XCTAssertEqual(
            try library.renderString("page", ["note": "<hi>"]),
            "<title>Page</title><main><aside>&lt;hi&gt;</aside>section main</main>")
    }

    func testBlocksRenderInTheParentsContext() throws {
        let library = try TemplateLibrary(templates: [
            "list": "{{#rows}}{{$row}}{{name}}{{/row}};{{/rows}}",
            "page": "{{<list}}{{$row}}<b>{{name}}</b> of {{title}}{{/row}}{{/list}}",
        ])
        XCTAssertEqual(
            try library.renderString("page", ["title": "T", "rows": [["name": "a"], ["name": "b"]]]),
            "<b>a</b> of T;<b>b</b> of T;")
    }

    func testOverridesAreReindentedAtTheBlockSite() throws {
        let library = try TemplateLibrary(templates: [
            "base": "<main>\n    {{$content}}\n    <p>default</p>\n    {{/content}}\n</main>\n",
            "page": "{{<base}}\n  {{$content}}\n  <h1>Hi</h1>\n  <p>there</p>\n  {{/content}}\n{{/base}}\n",
        ])
        XCTAssertEqual(
            try library.renderString("page", TemplateValue.null),
            "<main>\n    <h1>Hi</h1>\n    <p>there</p>\n</main>\n")
    }

    func testParentsMayBeIncludedLikePartials() throws {
        let library = try TemplateLibrary(templates: [
            "card": "<div>{{$body}}empty{{/body}}</div>",
            "page": "{{#items}}{{<card}}{{$body}}{{.}}{{/body}}{{/card}}{{/items}}{{>card}}",
        ])
        XCTAssertEqual(
            try library.renderString("page", ["items": [1, 2]]), "<div>1</div><div>2</div><div>empty</div>")
    }
}
