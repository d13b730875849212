import JSON
import Patchbay
import XCTest

final class TemplatingExecutionTests: ExecutionTestCase {
    let contact: JSON = [
        "email": "ada+1@example.com", "name": "Ada \"The Countess\"\nLovelace", "age": 36,
    ]

    func testPathQueryHeaderAndJSONBodyReachTheServerEncoded() async throws {
        server.script("/v1/w%201%2F2/people/%C3%A4%26b", .json(#"{"ok": true}"#))
        let outcome = try await run(
            [
                "method": "POST",
                "url": .string(server.url("/v1/{{workspace.id}}/people/{{input.id}}")),
                "query_params": [
                    ["key": "lookup", "value": "{{contact.email}}"],
                    ["key": "q", "value": "{{input.q}}"],
                    ["key": "city", "value": "{{contact.city | default: \"unknown\"}}"],
                ],
                "headers": [["key": "X-Trace", "value": "{{contact.email}}"]],
                "body_type": "json",
                "body":
                    #"{"name": "{{contact.name}}", "age": {{contact.age}}, "city": "{{contact.city | default: "nowhere"}}"}"#,
            ], input: ["id": "ä&b", "q": "a b&c=d"], contact: contact, workspace: ["id": "w 1/2"])
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "")
        let received = try XCTUnwrap(server.allReceived.first)
        XCTAssertEqual(received.method, "POST")
        XCTAssertEqual(
            received.target,
            "/v1/w%201%2F2/people/%C3%A4%26b?lookup=ada%2B1%40example.com&q=a%20b%26c%3Dd&city=unknown")
        XCTAssertEqual(received.header("X-Trace"), "ada+1@example.com")
        XCTAssertEqual(received.header("Content-Type"), "application/json")
        XCTAssertEqual(
            try JSON(parsing: received.body),
            ["name": "Ada \"The Countess\"\nLovelace", "age": 36, "city": "nowhere"])
    }

    func testFormAndXMLBodiesAreEncodedForTheirType() async throws {
        server.script("/form", .json("{}"))
        server.script("/xml", .json("{}"))
        let form = try await run(
            [
                "method": "POST", "url": url("/form"), "body_type": "form",
                "body": #"{"email": "{{contact.email}}", "note": "{{input.note}}"}"#,
            ], input: ["note": "a b&c"], contact: contact)
        XCTAssertEqual(form.status, .completed, form.error?.message ?? "")
        let formRequest = try XCTUnwrap(server.received("/form").first)
        XCTAssertEqual(formRequest.bodyText, "email=ada%2B1%40example.com&note=a+b%26c")
        XCTAssertEqual(formRequest.header("Content-Type"), "application/x-www-form-urlencoded")

        let xml = try await run(
            [
                "method": "PUT", "url": url("/xml"), "body_type": "xml",
                "body": "<person><name>{{contact.name}}</name><tag>{{input.tag}}</tag></person>",
            ], input: ["tag": "<b>&"], contact: contact)
        XCTAssertEqual(xml.status, .completed, xml.error?.message ?? "")
        XCTAssertEqual(
            server.received("/xml").first?.bodyText,
            "<person><name>Ada &quot;The Countess&quot;\nLovelace</name><tag>&lt;b&gt;&amp;</tag></person>")
    }

    func testMissingVariableFailsNamingItAndSendsNothing() async throws {
        server.script("/people", .json("{}"))
        let outcome = try await run(
            [
                "url": url("/people"),
                "headers": [["key": "X-Phone", "value": "{{contact.phone}}"]],
            ], contact: contact)
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.kind, .missingVariable)
        XCTAssertEqual(outcome.error?.message, "headers.X-Phone: missing variable contact.phone")
        XCTAssertEqual(outcome.attempts, 0)
        XCTAssertNil(outcome.redactedRequest)
        XCTAssertEqual(server.hits("/people"), 0)
    }

    func testInvalidConfigIsAFailedOutcome() async throws {
        let outcome = try await run(["method": "GET", "url": "https://h.example/{{contact.email"])
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.kind, .invalidConfig)
        XCTAssertTrue(outcome.error?.message.hasPrefix("the connector's config is invalid: url:") ?? false)
        let unknownScope = try await run(["url": "https://h.example/{{contcat.email}}"])
        XCTAssertEqual(unknownScope.error?.kind, .invalidConfig)
        XCTAssertTrue(unknownScope.error?.message.contains("{{contcat.email}}") ?? false)
    }
}
