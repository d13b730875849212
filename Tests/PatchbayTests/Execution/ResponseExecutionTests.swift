import JSON
import Patchbay
import XCTest

final class ResponseExecutionTests: ExecutionTestCase {
    let mappings: JSON = [
        ["source_path": "$.id", "target_field": "id"], ["source_path": "$.n", "target_field": "n"],
    ]

    func testTimeoutFailsTheAttemptAndIsRetried() async throws {
        server.script("/slow", ScriptedReply.json(#"{"id": 1}"#).delayed(2))
        let started = ContinuousClock.now
        let outcome = try await run(["url": url("/slow"), "timeout_ms": 300, "retries": 1])
        let elapsed = ContinuousClock.now - started
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.kind, .timeout)
        XCTAssertEqual(outcome.error?.message, "no answer within 0.3 s (after 2 attempts)")
        XCTAssertEqual(outcome.attempts, 2)
        XCTAssertNil(outcome.httpStatus)
        XCTAssertLessThan(elapsed, .milliseconds(1500))
    }

    func testNonJSONResponseKeepsTheTextAndReportsEachMapping() async throws {
        server.script("/page", .text("<html>hello</html>"))
        let outcome = try await run(["url": url("/page"), "field_mappings": mappings])
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(outcome.rawResponse, "<html>hello</html>")
        XCTAssertEqual(outcome.mapped, [:])
        XCTAssertEqual(
            outcome.mappingProblems.map(\.message), ["the response is not JSON", "the response is not JSON"])
        XCTAssertEqual(outcome.mappingProblems.map(\.targetField), ["id", "n"])
    }

    func testEmptyResponse() async throws {
        server.script("/empty", .status(204))
        let outcome = try await run(["method": "DELETE", "url": url("/empty"), "field_mappings": mappings])
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(outcome.httpStatus, 204)
        XCTAssertEqual(outcome.rawResponse, "")
        XCTAssertEqual(outcome.mappingProblems.first?.message, "the response has no body")
    }

    func testOversizedResponseIsAClearError() async throws {
        server.script("/big", ScriptedReply(body: [UInt8](repeating: UInt8(ascii: "a"), count: 4096)))
        let executor = try executor(limits: ExecutionLimits(maxResponseBytes: 1024))
        let outcome = try await run(["url": url("/big"), "retries": 2], executor: executor)
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.kind, .responseTooLarge)
        XCTAssertEqual(outcome.error?.message, "the response body is larger than the limit of 1024 bytes")
        XCTAssertEqual(outcome.attempts, 1)
    }

    func testRawResponseIsCutOnACharacterBoundary() async throws {
        let text = String(repeating: "é", count: 20)  // two bytes each
        server.script("/long", .text(text))
        let executor = try executor(limits: ExecutionLimits(rawResponseBytes: 11))
        let outcome = try await run(["url": url("/long")], executor: executor)
        XCTAssertEqual(outcome.rawResponse, String(repeating: "é", count: 5))
        XCTAssertTrue(outcome.isRawResponseTruncated)
        XCTAssertEqual(outcome.json()["raw_response_truncated"], true)
    }

    func testRedirectsAreFollowedOnlyWhenAllowed() async throws {
        server.script("/old", .status(302, headers: [("Location", "/new")]))
        server.script("/new", .json(#"{"id": 9}"#))
        let followed = try await run(["url": url("/old"), "field_mappings": mappings])
        XCTAssertEqual(followed.httpStatus, 200)
        XCTAssertEqual(followed.mapped, ["id": 9])
        let kept = try await run(["url": url("/old"), "follow_redirects": false])
        XCTAssertEqual(kept.httpStatus, 302)
        XCTAssertEqual(kept.status, .completed)
        XCTAssertEqual(server.hits("/new"), 1)
    }
}
