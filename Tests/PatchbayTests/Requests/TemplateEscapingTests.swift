import JSON
import Patchbay
import XCTest

final class TemplateEscapingTests: XCTestCase {
    func render(_ source: String, _ context: TemplateContext, _ input: JSONObject) throws -> String {
        try RequestTemplate(source).render(
            ["input": .object(input), "config": ["base": "https://h.example/a b"]], in: context)
    }

    func testURLVariablesCannotAddSegmentsOrQueries() throws {
        let url = "https://api.example.com/users/{{input.id}}/posts"
        XCTAssertEqual(
            try render(url, .url, ["id": "../admin?x=1&y=2#frag"]),
            "https://api.example.com/users/..%2Fadmin%3Fx%3D1%26y%3D2%23frag/posts")
        XCTAssertEqual(
            try render(url, .url, ["id": "a b/ü~._-"]),
            "https://api.example.com/users/a%20b%2F%C3%BC~._-/posts")
        XCTAssertEqual(
            try render(url, .url, ["id": "%2e%2e"]), "https://api.example.com/users/%252e%252e/posts")
    }

    func testURLRefusesDotSegments() {
        for value in ["..", "."] {
            XCTAssertThrowsError(
                try render("https://h.example/users/{{input.id}}", .url, ["id": .string(value)])
            ) {
                XCTAssertEqual(($0 as? RequestError)?.kind, .invalidValue, value)
            }
        }
        XCTAssertThrowsError(
            try render("https://h.example/root:/{{{input.path}}}", .url, ["path": "docs/../../me"]))
        XCTAssertThrowsError(
            try render("https://h.example/root:/{{{input.path}}}", .url, ["path": "docs/%2E%2e/x"]))
    }

    func testRawURLInsertionKeepsStructureButEncodesIllegalCharacters() throws {
        XCTAssertEqual(
            try render("{{{input.base}}}/items", .url, ["base": "https://h.example:8443/v1?a=1&b=%20"]),
            "https://h.example:8443/v1?a=1&b=%20/items")
        XCTAssertEqual(
            try render("{{{input.p}}}", .url, ["p": "a b\n\"<ü>\"{|}"]), "a%20b%0A%22%3C%C3%BC%3E%22%7B%7C%7D"
        )
        XCTAssertEqual(
            try render("https://h.example/a b/{{input.x}}", .url, ["x": "1"]), "https://h.example/a%20b/1")
    }

    func testHeaderAndTextContextInsertAsIs() throws {
        XCTAssertEqual(try render("Bearer {{input.t}}", .text, ["t": "a+b/c=&<>\""]), "Bearer a+b/c=&<>\"")
    }

    func testXMLEscaping() throws {
        let template = "<name>{{input.n}}</name><raw>{{{input.n}}}</raw>"
        XCTAssertEqual(
            try render(template, .xml, ["n": "<b>&\"it's\"</b>"]),
            "<name>&lt;b&gt;&amp;&quot;it&apos;s&quot;&lt;/b&gt;</name><raw><b>&\"it's\"</b></raw>")
    }

    func testFormTextEscaping() throws {
        XCTAssertEqual(
            try render("q={{input.q}}&n=1", .formURLEncoded, ["q": "a b&c=d+é"]), "q=a+b%26c%3Dd%2B%C3%A9&n=1"
        )
    }

    func testJSONTextEscapesInsideStringsAndWritesValuesOutside() throws {
        let template =
            #"{"name": "{{input.name}}", "count": {{input.count}}, "tags": {{input.tags}}, "note": "a \"{{input.q}}\""}"#
        let rendered = try render(
            template, .jsonText,
            ["name": "Quote \" back\\slash \n\t\u{01} é 😀", "count": 3, "tags": ["x"], "q": "}{"])
        let parsed = try JSON(parsing: rendered)
        XCTAssertEqual(parsed["name"], "Quote \" back\\slash \n\t\u{01} é 😀")
        XCTAssertEqual(parsed["count"], 3)
        XCTAssertEqual(parsed["tags"], ["x"])
        XCTAssertEqual(parsed["note"], "a \"}{\"")
    }

    func testJSONTextCannotBreakOutOfAString() throws {
        let rendered = try render(#"{"a": "{{input.v}}"}"#, .jsonText, ["v": #"", "admin": true, "x": ""#])
        let parsed = try JSON(parsing: rendered)
        XCTAssertEqual(parsed.object?.count, 1)
        XCTAssertEqual(parsed["a"], #"", "admin": true, "x": ""#)
        XCTAssertNil(parsed["admin"])
    }
}
