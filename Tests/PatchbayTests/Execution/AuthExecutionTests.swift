import JSON
import Patchbay
import XCTest

final class AuthExecutionTests: ExecutionTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        server.script("/me", .json(#"{"id": 1}"#))
    }

    func send(_ auth: JSON, url path: String = "/me?page=2") async throws -> (
        ExecutionOutcome, ReceivedRequest
    ) {
        let outcome = try await run(["url": url(path)], auth: auth)
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "")
        return (outcome, try XCTUnwrap(server.received("/me").last))
    }

    func testNoneSendsNoCredentials() async throws {
        let (_, received) = try await send(["method": "none"])
        XCTAssertNil(received.header("Authorization"))
        XCTAssertEqual(received.target, "/me?page=2")
    }

    func testBearer() async throws {
        let (outcome, received) = try await send(["method": "bearer", "token": "tok-123"])
        XCTAssertEqual(received.header("Authorization"), "Bearer tok-123")
        XCTAssertEqual(outcome.redactedRequest?.header("Authorization"), "[redacted]")
    }

    func testAPIKeyInAHeader() async throws {
        let (outcome, received) = try await send([
            "method": "api_key", "name": "X-Api-Key", "location": "header", "value": "key-456",
        ])
        XCTAssertEqual(received.header("X-Api-Key"), "key-456")
        XCTAssertNil(received.header("Authorization"))
        XCTAssertEqual(outcome.redactedRequest?.header("X-Api-Key"), "[redacted]")
    }

    func testAPIKeyInTheQuery() async throws {
        let (outcome, received) = try await send([
            "method": "api_key", "name": "key", "location": "query", "value": "k&7=8",
        ])
        XCTAssertEqual(received.target, "/me?page=2&key=k%267%3D8")
        XCTAssertEqual(outcome.redactedRequest?.url, server.url("/me?page=2&key=[redacted]"))
    }

    func testBasic() async throws {
        let (outcome, received) = try await send([
            "method": "basic", "username": "Aladdin", "password": "open sesame",
        ])
        XCTAssertEqual(received.header("Authorization"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        XCTAssertEqual(outcome.redactedRequest?.header("Authorization"), "[redacted]")
    }

    func testAuthThatCannotBeAppliedFailsBeforeSending() async throws {
        let outcome = try await run(["url": url("/me")], auth: ["method": "bearer"])
        XCTAssertEqual(outcome.error?.kind, .invalidRequest)
        XCTAssertEqual(outcome.error?.message, "auth: bearer authentication needs 'token'")
        XCTAssertEqual(server.hits("/me"), 0)
    }
}
