import XCTest

@testable import Templating

/// Interpolation, escaping, sections and the context stack.
final class RenderingTests: XCTestCase {
    private func render(_ template: String, _ value: TemplateValue, partials: [String: String] = [:]) throws
        -> String
    {
        var templates = partials
        templates["main"] = template
        return try TemplateLibrary(templates: templates).renderString("main", value)
    }

    // MARK: Escaping

    func testEscapesTheFiveHTMLCharacters() throws {
        XCTAssertEqual(
            try render("{{v}}", ["v": "<a href=\"x\">Tom & Jerry's</a>"]),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
    }

    func testTripleMustacheAndAmpersandDoNotEscape() throws {
        XCTAssertEqual(try render("{{{v}}}|{{&v}}", ["v": "<b>&</b>"]), "<b>&</b>|<b>&</b>")
    }

    /// The scan checks eight bytes at a time: put the special character at every offset of
    /// strings of many lengths and compare with a plain reference escaper.
    func testEscapingAtEveryPositionAndLength() throws {
        let library = try TemplateLibrary(templates: ["main": "{{v}}"])
        for length in 1...40 {
            for position in 0..<length {
                for special in ["&", "<", ">", "\"", "'"] {
                    var characters: [String] = Array(repeating: "é", count: length)
                    characters[position] = special
                    if position + 3 < length { characters[position + 3] = "<" }
                    let input = characters.joined()
                    XCTAssertEqual(
                        try library.renderString("main", ["v": .string(input)]), referenceEscape(input))
                }
            }
        }
    }

    private func referenceEscape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    func testUnicodeAndLongStringsPassThrough() throws {
        let long = String(repeating: "Grüße, 世界 🎛️ ", count: 200)
        XCTAssertEqual(try render("{{v}}", ["v": .string(long)]), long)
    }

    // MARK: Values

    func testNumbersAndBooleans() throws {
        let value: TemplateValue = [
            "zero": 0, "negative": -42, "min": .int(Int.min), "half": 1.5, "whole": 3.0, "huge": 1e20,
            "yes": true, "no": false, "nothing": nil,
        ]
        XCTAssertEqual(
            try render(
                "{{zero}} {{negative}} {{min}} {{half}} {{whole}} {{huge}} {{yes}} {{no}} [{{nothing}}]",
                value),
            "0 -42 -9223372036854775808 1.5 3 1e+20 true false []")
    }

    func testListsAndObjectsInterpolateAsNothing() throws {
        XCTAssertEqual(try render("[{{list}}{{object}}]", ["list": [1, 2], "object": ["a": 1]]), "[]")
    }

    // MARK: Sections and the context stack

    func testTruthiness() throws {
        let value: TemplateValue = [
            "zero": 0, "empty": "", "none": [], "null": nil, "no": false,
            "one": 1, "text": "x", "list": [0], "object": [:], "yes": true,
        ]
        let falsey = ["zero", "empty", "none", "null", "no", "missing"]
        let truthy = ["one", "text", "list", "object", "yes"]
        for name in falsey {
            XCTAssertEqual(try render("{{#\(name)}}T{{/\(name)}}{{^\(name)}}F{{/\(name)}}", value), "F", name)
        }
        for name in truthy {
            XCTAssertEqual(try render("{{#\(name)}}T{{/\(name)}}{{^\(name)}}F{{/\(name)}}", value), "T", name)
        }
    }

    func testNestedSectionsSearchOuterFrames() throws {
        let value: TemplateValue = [
            "site": "Patchbay",
            "tenants": [
                ["name": "Acme", "connectors": [["name": "Slack"], ["name": "S3", "site": "override"]]],
                ["name": "Globex", "connectors": []],
            ],
        ]
        let template = """
            {{#tenants}}{{name}}:{{#connectors}} {{name}}@{{site}}{{/connectors}}\
            {{^connectors}} none{{/connectors}};{{/tenants}}
            """
        XCTAssertEqual(try render(template, value), "Acme: Slack@Patchbay S3@override;Globex: none;")
    }

    func testDottedNamesResolveTheirFirstPartOnly() throws {
        let value: TemplateValue = [
            "a": ["b": [:]], "b": ["c": "outer"], "user": ["profile": ["name": "Ada"]],
        ]
        XCTAssertEqual(
            try render("{{#a}}[{{b.c}}]{{/a}} {{user.profile.name}} [{{user.nope.name}}]", value),
            "[] Ada []")
    }

    func testImplicitIteratorAndSectionsOverScalars() throws {
        XCTAssertEqual(
            try render(
                "{{#tags}}<{{.}}>{{/tags}} {{#title}}={{.}}={{/title}}",
                [
                    "tags": ["a", "b&c"], "title": "Hi",
                ]), "<a><b&amp;c> =Hi=")
    }

    func testPartialsSeeTheContextStack() throws {
        let output = try render(
            "{{#items}}{{>row}}{{/items}}", ["currency": "€", "items": [["price": 3], ["price": 4]]],
            partials: ["row": "{{price}}{{currency}};"])
        XCTAssertEqual(output, "3€;4€;")
    }

    func testStandalonePartialsAreIndented() throws {
        let output = try render(
            "<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n</ul>\n", ["items": ["a", "b"]],
            partials: ["item": "<li>\n  {{.}}\n</li>\n"])
        XCTAssertEqual(output, "<ul>\n  <li>\n    a\n  </li>\n  <li>\n    b\n  </li>\n</ul>\n")
    }

    func testSelfIncludingPartialStopsAtTheDepthLimit() throws {
        let output = try render("{{>loop}}", .null, partials: ["loop": "x{{>loop}}"])
        XCTAssertEqual(output, String(repeating: "x", count: Renderer.maximumDepth))
    }

    // MARK: Values and view models

    func testLargeObjectsUseTheirIndex() throws {
        var object = TemplateObject((0..<40).map { ("key\($0)", TemplateValue.int($0)) })
        XCTAssertEqual(object["key33"], 33)
        object["key33"] = "changed"
        object["key7"] = nil
        object["extra"] = true
        XCTAssertEqual(object.count, 40)
        XCTAssertEqual(
            try render("{{key33}} {{key7}} {{extra}} {{key39}}", .object(object)), "changed  true 39")
    }

    func testRepeatedLiteralKeysKeepTheLastValue() {
        let object: TemplateObject = ["a": 1, "b": 2, "a": 3]
        XCTAssertEqual(object.count, 2)
        XCTAssertEqual(object["a"], 3)
        XCTAssertEqual(object, ["b": 2, "a": 3])
    }

    func testViewModelsAdoptTheProtocol() throws {
        struct Badge: TemplateRenderable {
            var label: String
            var templateValue: TemplateValue { ["label": .string(label)] }
        }
        struct ConnectorView: TemplateRenderable {
            var name: String
            var latencyMilliseconds: Int?
            var badges: [Badge]
            var templateValue: TemplateValue {
                [
                    "name": .string(name), "latency": TemplateValue(latencyMilliseconds),
                    "badges": TemplateValue(badges),
                ]
            }
        }
        let library = try TemplateLibrary(templates: [
            "card": "{{name}}{{#latency}} ({{.}} ms){{/latency}}{{#badges}} [{{label}}]{{/badges}}"
        ])
        let views = [
            ConnectorView(name: "Slack", latencyMilliseconds: 120, badges: [Badge(label: "beta")]),
            ConnectorView(name: "S3 <eu>", latencyMilliseconds: nil, badges: []),
        ]
        XCTAssertEqual(try library.renderString("card", views[0]), "Slack (120 ms) [beta]")
        XCTAssertEqual(try library.renderString("card", views[1]), "S3 &lt;eu&gt;")
    }

    func testRenderAppendsToAnExistingBuffer() throws {
        let library = try TemplateLibrary(templates: ["t": "<{{v}}>"])
        var buffer = Array("head:".utf8)
        try library.render("t", ["v": "x"], into: &buffer)
        try library.render("t", ["v": "y"], into: &buffer)
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self), "head:<x><y>")
    }

    func testOutputLargerThanTheInitialBufferGrows() throws {
        let library = try TemplateLibrary(templates: ["t": "{{#rows}}{{.}}\n{{/rows}}"])
        let rows = (0..<5000).map { TemplateValue.string("row \($0) of many") }
        let output = try library.renderString("t", ["rows": .list(rows)])
        XCTAssertEqual(output.split(separator: "\n").count, 5000)
        XCTAssertTrue(output.hasSuffix("row 4999 of many\n"))
    }
}
