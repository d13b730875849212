import JSON
import Outbound
import Patchbay
import XCTest

final class RetryExecutionTests: ExecutionTestCase {
    func config(_ path: String, retries: Int = 2, backoff: Int = 100, extra: JSONObject = [:]) -> JSON {
        var object: JSONObject = [
            "url": url(path), "retries": .int(Int64(retries)), "retry_backoff_ms": .int(Int64(backoff)),
            "field_mappings": [["source_path": "$.ok", "target_field": "ok"]],
        ]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    func testServerFailingTwiceThenSucceedingTakesThreeAttempts() async throws {
        server.script(
            "/flaky", .text("down", status: 503), .text("bad gateway", status: 502), .json(#"{"ok": true}"#))
        let outcome = try await run(config("/flaky"))
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "")
        XCTAssertEqual(outcome.attempts, 3)
        XCTAssertEqual(server.hits("/flaky"), 3)
        XCTAssertEqual(outcome.mapped, ["ok": true])
        // Full-ceiling jitter: the exponential ceilings themselves.
        XCTAssertEqual(sleeps.recorded, [.milliseconds(100), .milliseconds(200)])
    }

    func testJitterDrawsBelowTheCeiling() async throws {
        server.script("/flaky", .status(500), .status(500), .json(#"{"ok": true}"#))
        let executor = try executor(random: .constant(UInt64.max / 2))
        let outcome = try await run(config("/flaky", backoff: 1000), executor: executor)
        XCTAssertEqual(outcome.attempts, 3)
        let millis = sleeps.recorded.map { $0 / .milliseconds(1) }
        XCTAssertEqual(millis.count, 2)
        XCTAssertEqual(millis[0], 500, accuracy: 1)
        XCTAssertEqual(millis[1], 1000, accuracy: 1)
    }

    func testRetriesRunOutOnPersistent5xx() async throws {
        server.script("/down", .text("no", status: 500))
        let outcome = try await run(config("/down", retries: 2))
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.attempts, 3)
        XCTAssertEqual(outcome.httpStatus, 500)
        XCTAssertEqual(outcome.error?.kind, .httpStatus)
        XCTAssertEqual(outcome.error?.message, "the server answered with HTTP 500 (after 3 attempts)")
        XCTAssertEqual(outcome.rawResponse, "no")
    }

    func test429RetryAfterIsHonoured() async throws {
        server.script(
            "/limited", .text("slow down", status: 429, headers: [("Retry-After", "1")]), .json(#"{"ok": 1}"#)
        )
        let outcome = try await run(config("/limited", backoff: 50))
        XCTAssertEqual(outcome.attempts, 2)
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(sleeps.recorded, [.seconds(1)])
    }

    func testLongRetryAfterIsCapped() async throws {
        server.script("/limited", .status(429, headers: [("Retry-After", "3600")]), .json(#"{"ok": 1}"#))
        let executor = try executor(limits: ExecutionLimits(maxRetryAfter: .seconds(2)))
        let outcome = try await run(config("/limited"), executor: executor)
        XCTAssertEqual(outcome.attempts, 2)
        XCTAssertEqual(sleeps.recorded, [.seconds(2)])
    }

    func test429RetryAfterWithARealWait() async throws {
        server.script("/limited", .status(429, headers: [("Retry-After", "1")]), .json(#"{"ok": 1}"#))
        let started = ContinuousClock.now
        let outcome = try await run(config("/limited", backoff: 0), executor: try executor(realSleep: true))
        let elapsed = ContinuousClock.now - started
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(outcome.attempts, 2)
        XCTAssertGreaterThanOrEqual(elapsed, .seconds(1))
        XCTAssertGreaterThanOrEqual(outcome.durationMs, 1000)
        XCTAssertLessThan(elapsed, .seconds(5))
    }

    func test4xxIsNotRetriedEvenWhenConfigured() async throws {
        server.script("/missing", .json(#"{"error": "nope"}"#, status: 404))
        let outcome = try await run(config("/missing", extra: ["retry_on_status": [404, 503]]))
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.attempts, 1)
        XCTAssertEqual(server.hits("/missing"), 1)
        XCTAssertEqual(outcome.error?.message, "the server answered with HTTP 404")
        XCTAssertEqual(outcome.rawResponse, #"{"error": "nope"}"#)
        XCTAssertEqual(outcome.mapped, [:])
        XCTAssertEqual(sleeps.recorded, [])
    }

    func testStatusesLeftOutOfTheConfigAreNotRetried() async throws {
        server.script("/down", .status(500))
        let outcome = try await run(config("/down", extra: ["retry_on_status": [503]]))
        XCTAssertEqual(outcome.attempts, 1)
    }

    func testRefusedConnectionsAreRetried() async throws {
        let port = server.port
        server.stop()
        let outcome = try await run(["url": .string("http://127.0.0.1:\(port)/x"), "retries": 2])
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.kind, .network)
        XCTAssertEqual(outcome.attempts, 3)
        XCTAssertEqual(
            outcome.error?.message, "connection refused by 127.0.0.1 port \(port) (after 3 attempts)")
        XCTAssertNil(outcome.httpStatus)
        XCTAssertEqual(sleeps.recorded.count, 2)
    }

    func testBlockedAddressIsNotRetried() async throws {
        server.script("/x", .json("{}"))
        let strict = CustomHTTPExecutor(
            client: OutboundHTTPClient(), clock: ExecutionClock.live, logger: .init(label: "test"))
        let outcome = try await run(["url": url("/x"), "retries": 3], executor: strict)
        XCTAssertEqual(outcome.error?.kind, .blocked)
        XCTAssertEqual(outcome.attempts, 1)
        XCTAssertEqual(server.hits("/x"), 0)
    }
}
