import JSON
import Patchbay
import XCTest

final class RequestTemplateTests: XCTestCase {
    let scopes: JSONObject = [
        "config": ["base_url": "https://api.example.com/v1", "region": "eu", "zero": 0, "empty": ""],
        "input": [
            "id": "42", "name": "Ada Lovelace", "count": 3, "ratio": 0.1, "big": 1e21, "whole": 2.0,
            "flag": true, "nothing": nil, "tags": ["a", "b"], "meta": ["plan": "pro"],
        ],
        "contact": ["city": "", "email": "ada@example.com"],
        "steps": ["lookup": ["response": ["items": [["id": 7], ["id": 8]], "odd key": "x"]]],
    ]

    func render(_ source: String, _ context: TemplateContext = .text) throws -> String {
        try RequestTemplate(source).render(scopes, in: context)
    }

    func testVariablesPathsAndIndexes() throws {
        XCTAssertEqual(try render("id={{input.id}}"), "id=42")
        XCTAssertEqual(try render("{{ input.id }}|{{{input.id}}}|{{& input.id}}"), "42|42|42")
        XCTAssertEqual(try render("{{steps.lookup.response.items[1].id}}"), "8")
        XCTAssertEqual(try render("{{steps.lookup.response[\"odd key\"]}}"), "x")
        XCTAssertEqual(try render("a{{! a comment }}b"), "ab")
    }

    func testValuesRenderAsText() throws {
        XCTAssertEqual(
            try render("{{input.count}} {{input.ratio}} {{input.whole}} {{input.flag}}"), "3 0.1 2 true")
        XCTAssertEqual(try render("[{{input.nothing}}]"), "[]")
        XCTAssertEqual(try render("{{input.tags}}"), #"["a","b"]"#)
        XCTAssertEqual(try render("{{input.meta}}"), #"{"plan":"pro"}"#)
        XCTAssertEqual(try render("{{input.big}}"), "1e+21")
    }

    func testSections() throws {
        XCTAssertEqual(try render("{{#input.id}}has {{input.id}}{{/input.id}}"), "has 42")
        XCTAssertEqual(try render("{{^input.id}}none{{/input.id}}"), "")
        XCTAssertEqual(try render("{{^input.absent}}none{{/input.absent}}"), "none")
        XCTAssertEqual(
            try render("{{#contact.city}}x{{/contact.city}}{{^contact.city}}empty{{/contact.city}}"), "empty")
        XCTAssertEqual(try render("{{#input.nothing}}x{{/input.nothing}}"), "")
        XCTAssertEqual(try render("{{#config.zero}}zero is present{{/config.zero}}"), "zero is present")
        // A section neither loops nor changes scope.
        XCTAssertEqual(try render("{{#input.tags}}[{{input.id}}]{{/input.tags}}"), "[42]")
        XCTAssertEqual(try render("{{#input.flag}}{{#input.id}}both{{/input.id}}{{/input.flag}}"), "both")
    }

    func testDefaults() throws {
        XCTAssertEqual(try render(#"{{contact.city | default: "unknown"}}"#), "unknown")
        XCTAssertEqual(try render(#"{{contact.phone | default: 'n/a'}}"#), "n/a")
        XCTAssertEqual(try render(#"{{contact.phone|default:42}}"#), "42")
        XCTAssertEqual(try render(#"{{input.nothing | default: "was null"}}"#), "was null")
        XCTAssertEqual(try render(#"{{input.id | default: "unused"}}"#), "42")
        XCTAssertEqual(try render(#"{{contact.phone | default: "a}}b|c"}}"#), "a}}b|c")
        XCTAssertEqual(try render(#"{{contact.phone | default: 'it\'s'}}"#), "it's")
        XCTAssertEqual(try RequestTemplate("{{contact.phone | default: 5}}").evaluate(scopes), .int(5))
    }

    func testMissingVariableIsAnErrorNamingIt() {
        XCTAssertThrowsError(try render("tel:{{contact.phone_number}}")) { error in
            let error = error as? RequestError
            XCTAssertEqual(error?.message, "missing variable contact.phone_number")
            XCTAssertEqual(error?.kind, .missingVariable("contact.phone_number"))
        }
        XCTAssertThrowsError(try render("{{steps.lookup.response.items[5].id}}")) { error in
            XCTAssertEqual(
                (error as? RequestError)?.message, "missing variable steps.lookup.response.items[5].id")
        }
    }

    func testMissingVariablesAllowedInSectionsGuardsAndEmptyMode() throws {
        XCTAssertEqual(try render("{{^input.absent}}[{{config.nope}}]{{/input.absent}}"), "[]")
        // The documented defaults idiom: the path is tested by a section in the same template.
        XCTAssertEqual(
            try render("{{input.channel}}{{^input.channel}}{{config.region}}{{/input.channel}}"), "eu")
        XCTAssertEqual(try RequestTemplate("a{{input.absent}}b").render(scopes, missing: .empty), "ab")
    }

    func testSyntaxErrors() {
        let cases: [(String, String)] = [
            ("{{input.id", "unclosed tag at offset 0"),
            ("x{{#input.id}}", "section input.id is never closed at offset 1"),
            ("{{#a}}{{/b}}", "{{/b}} closes section a at offset 6"),
            ("{{/a}}", "{{/a}} closes no open section at offset 0"),
            ("{{}}", "empty tag at offset 0"),
            ("{{> partial}}", "partials are not supported at offset 0"),
            ("{{a | upcase}}", "unknown filter 'upcase' (only 'default' is supported) at offset 0"),
            ("{{a | default: }}", "default needs a quoted string, a number, true, false or null at offset 0"),
            ("{{a..b}}", "invalid path 'a..b': expected a name at offset 2, in the tag at offset 0"),
            ("{{$.a}}", "a variable must start with a scope name at offset 0"),
            ("{{{#a}}}", "'#' cannot open a triple tag at offset 0"),
        ]
        for (source, message) in cases {
            XCTAssertThrowsError(try RequestTemplate(source), source) { error in
                XCTAssertEqual((error as? RequestError)?.message, message, source)
                XCTAssertEqual((error as? RequestError)?.kind, .syntax, source)
            }
        }
    }

    func testSoleTagAndReferencedPaths() throws {
        XCTAssertTrue(try RequestTemplate("{{input.count}}").isSoleTag)
        XCTAssertTrue(try RequestTemplate("{{{input.count}}}").isSoleTag)
        XCTAssertFalse(try RequestTemplate(" {{input.count}}").isSoleTag)
        XCTAssertFalse(try RequestTemplate("{{#a}}{{a}}{{/a}}").isSoleTag)
        XCTAssertTrue(try RequestTemplate("plain").isConstant)
        let paths = try RequestTemplate("{{a.b}}{{#c}}{{d[0]}}{{/c}}").referencedPaths.map(\.description)
        XCTAssertEqual(paths, ["a.b", "c", "d[0]"])
    }

    func testEvaluateKeepsJSONTypes() throws {
        XCTAssertEqual(try RequestTemplate("{{input.count}}").evaluate(scopes), .int(3))
        XCTAssertEqual(try RequestTemplate("{{input.flag}}").evaluate(scopes), .bool(true))
        XCTAssertEqual(try RequestTemplate("{{input.meta}}").evaluate(scopes), ["plan": "pro"])
        XCTAssertEqual(try RequestTemplate("n={{input.count}}").evaluate(scopes), .string("n=3"))
        XCTAssertNil(try RequestTemplate("{{input.absent}}").evaluate(scopes, missing: .empty))
        XCTAssertThrowsError(try RequestTemplate("{{input.absent}}").evaluate(scopes))
    }
}
