import JSON
import Patchbay
import XCTest

/// Every credential reaches the server, and none reaches the outcome, even when the server echoes
/// the whole request back and the config templates the secret into the path and body.
final class RedactionExecutionTests: ExecutionTestCase {
    static let bearer = "SENTINEL-BEARER-7f3a9c"
    static let headerKey = "SENTINEL-HEADER-KEY-91c2"
    static let queryKey = "SENTINEL-QUERY-KEY-55d1"
    static let password = "SENTINEL-PASSWORD-0b8e"

    override func setUpWithError() throws {
        try super.setUpWithError()
        server.script("/echo") { request, _ in
            var headers = JSONObject()
            for header in request.headers { headers[header.name.lowercased()] = .string(header.value) }
            let echo: JSON = [
                "target": .string(request.target), "headers": .object(headers),
                "body": .string(request.bodyText),
            ]
            return .json(echo.serializedString())
        }
    }

    /// Sends an echoing request with `auth`; the secret must arrive, and appear nowhere in the outcome.
    func assertRedacted(
        _ auth: JSON, secret: String, wireForm: String, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let outcome = try await run(
            [
                "method": "POST", "url": url("/echo"), "query_params": [["key": "page", "value": "1"]],
                "headers": [["key": "X-Copy", "value": "{{input.note}}"]],
                "body_type": "json", "body": #"{"note": "{{input.note}}", "password": "{{input.pw}}"}"#,
                "field_mappings": [
                    ["source_path": "$.headers", "target_field": "echoed_headers"],
                    ["source_path": "$.target", "target_field": "echoed_target"],
                ],
            ], auth: auth, input: ["note": "plain", "pw": "typed-in"])
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "", file: file, line: line)
        let received = try XCTUnwrap(server.received("/echo").last, file: file, line: line)
        let wire =
            received.target + received.headers.map { "\($0.name): \($0.value)" }.joined() + received.bodyText
        XCTAssertTrue(
            wire.contains(wireForm), "the credential never reached the server", file: file, line: line)
        let stored = outcome.json().serializedString()
        XCTAssertTrue(stored.contains("[redacted]"), file: file, line: line)
        XCTAssertTrue(stored.contains("echoed_headers"), file: file, line: line)
        for form in [secret, wireForm] {
            XCTAssertFalse(stored.contains(form), "\(form) leaked: \(stored)", file: file, line: line)
        }
        let sentBody = try JSON(parsing: outcome.redactedRequest?.body ?? [])
        XCTAssertEqual(sentBody, ["note": "plain", "password": "[redacted]"], file: file, line: line)
    }

    func testBearerToken() async throws {
        try await assertRedacted(
            ["method": "bearer", "token": .string(Self.bearer)], secret: Self.bearer, wireForm: Self.bearer)
    }

    func testAPIKeyInAHeader() async throws {
        try await assertRedacted(
            [
                "method": "api_key", "name": "X-Partner", "location": "header",
                "value": .string(Self.headerKey),
            ],
            secret: Self.headerKey, wireForm: Self.headerKey)
    }

    func testAPIKeyInTheQuery() async throws {
        try await assertRedacted(
            ["method": "api_key", "name": "k", "location": "query", "value": .string(Self.queryKey + " +/")],
            secret: Self.queryKey, wireForm: "k=" + Self.queryKey + "%20%2B%2F")
    }

    func testBasicPasswordAndTheEncodedCredentials() async throws {
        let encoded = "dXNlcjpTRU5USU5FTC1QQVNTV09SRC0wYjhl"  // base64("user:" + password)
        try await assertRedacted(
            ["method": "basic", "username": "user", "password": .string(Self.password)],
            secret: Self.password, wireForm: encoded)
    }

    func testSecretTemplatedIntoPathAndBodyIsScrubbed() async throws {
        server.script("/keys/\(Self.bearer)") { request, _ in .json(#"{"seen": "\#(request.target)"}"#) }
        let outcome = try await run(
            [
                "method": "POST", "url": .string(server.url("/keys/{{auth.token}}")), "body_type": "raw",
                "body": "token is {{auth.token}}",
                "field_mappings": [["source_path": "$.seen", "target_field": "seen"]],
            ], auth: ["method": "bearer", "token": .string(Self.bearer)])
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "")
        XCTAssertEqual(server.received("/keys/\(Self.bearer)").first?.bodyText, "token is \(Self.bearer)")
        XCTAssertEqual(outcome.redactedRequest?.url, server.url("/keys/[redacted]"))
        XCTAssertEqual(outcome.redactedRequest?.bodyText, "token is [redacted]")
        XCTAssertEqual(outcome.mapped, ["seen": "/keys/[redacted]"])
        XCTAssertFalse(outcome.json().serializedString().contains(Self.bearer))
    }
}
