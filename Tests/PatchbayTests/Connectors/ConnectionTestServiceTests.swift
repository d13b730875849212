import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// `ConnectorService.test`: saved connectors tested against a real HTTP server on 127.0.0.1, with the
/// result stored, the status moved to error on failure, an audit row each time, and secrets nowhere.
final class ConnectionTestServiceTests: XCTestCase {
    private var harness: ConnectionTestHarness!
    private var stub: StubService!
    private let request = ConnectionTestHarness.request

    override func setUp() async throws {
        harness = try await ConnectionTestHarness.start()
        stub = try StubService()
    }

    override func tearDown() async throws {
        stub?.stop()
        await harness?.stop()
    }

    private let lastTest = [
        "last_tested_at", "last_test_result", "last_test_latency_ms", "last_error", "status",
        "status_message",
        "row_version", "consecutive_failures",
    ]

    func testAPassingTestIsStoredWithoutChangingTheConnector() async throws {
        let connector = try await harness.installREST(
            "Billing API", url: stub.url(""), path: "/v1/balance", token: StubService.goodKey)
        let outcome = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertTrue(outcome.result.success, outcome.result.message)
        XCTAssertTrue(outcome.isRecorded)
        XCTAssertEqual(outcome.result.message, "HTTP 200 from 127.0.0.1.")
        XCTAssertEqual(outcome.connector.status, .inactive, "a pass moves nothing")
        let row = try await harness.row(connector.id, lastTest)
        XCTAssertNotNil(row["last_tested_at"] ?? nil)
        XCTAssertEqual(row["last_test_result"], "success")
        XCTAssertEqual(row["last_test_latency_ms"], String(outcome.result.latencyMs))
        XCTAssertEqual(row["last_error"], .some(nil))
        XCTAssertEqual(row["row_version"], "1", "a test is not an edit: open forms stay valid")
        let test = try XCTUnwrap(outcome.connector.lastTest)
        XCTAssertTrue(test.succeeded)
        XCTAssertEqual(test.latencyMilliseconds, outcome.result.latencyMs)
        let audit = try await harness.audit(connector.id)
        XCTAssertEqual(audit.count, 2)
        XCTAssertTrue(audit[1].hasPrefix("connector.tested developer@acme.test"), audit[1])
        XCTAssertTrue(audit[1].contains(#""success": true"#), audit[1])
    }

    func testAWrongStatusPutsTheConnectorInErrorWithAnAuditRow() async throws {
        let connector = try await harness.installREST(
            "Orders API", url: stub.url(""), path: "/status/500", token: StubService.goodKey)
        try await harness.activate(connector)
        let outcome = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertFalse(outcome.result.success)
        XCTAssertEqual(outcome.result.errorKind, .unexpectedStatus)
        XCTAssertEqual(outcome.result.message, "HTTP 500 from 127.0.0.1, expected 200 or 204.")
        XCTAssertEqual(outcome.connector.status, .error)
        XCTAssertEqual(outcome.connector.statusMessage, outcome.result.message)
        let row = try await harness.row(connector.id, lastTest)
        XCTAssertEqual(row["last_test_result"], "failure")
        XCTAssertEqual(row["last_error"], outcome.result.message)
        XCTAssertEqual(row["status"], "error")
        let audit = try await harness.audit(connector.id)
        XCTAssertTrue(
            audit.contains { $0.hasPrefix("connector.tested ") && $0.contains("unexpected_status") })
        let change = try XCTUnwrap(audit.last)
        XCTAssertTrue(change.hasPrefix("connector.status_changed developer@acme.test"), change)
        XCTAssertTrue(change.contains(#""from": "active""#) && change.contains(#""to": "error""#), change)

        // Back via a person, not via the next passing test.
        _ = try await harness.service.update(
            id: connector.id, ConnectorChanges(config: .merge(["health_check_path": "/v1/balance"])),
            harness.admin, request: request)
        let passed = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertTrue(passed.result.success, passed.result.message)
        XCTAssertEqual(passed.connector.status, .error)
        let reactivated = try await harness.service.setStatus(
            id: connector.id, to: .active, harness.admin, request: request)
        XCTAssertEqual(reactivated.status, .active)
        XCTAssertEqual(reactivated.lastTest?.succeeded, true)
    }

    func testRejectedCredentialsAreClassifiedAndTheSecretIsNowhere() async throws {
        let secret = "sk_test_" + ProbeFixtures.sentinel
        let connector = try await harness.installREST(
            "Payments", url: stub.url(""), path: "/v1/balance", token: secret)
        let outcome = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertEqual(outcome.result.errorKind, .authRejected)
        XCTAssertEqual(outcome.result.message, "The service rejected the credentials (HTTP 401).")
        // The stub echoes the Authorization header into its 401 body.
        XCTAssertNotNil(outcome.result.details["response_excerpt"])
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: outcome.result)
        let stored = try await harness.database.fixtures.column(
            "SELECT row_to_json(c)::text FROM connectors c UNION ALL SELECT details::text FROM audit_events")
        for text in stored {
            XCTAssertFalse(text?.contains(ProbeFixtures.sentinel) ?? false, text ?? "")
        }
    }

    func testASlowServerTimesOut() async throws {
        let connector = try await harness.installREST(
            "Slow API", url: stub.url(""), path: "/slow/3000", token: StubService.goodKey)
        let started = ContinuousClock.now
        let outcome = try await harness.service.test(
            id: connector.id, timeout: .milliseconds(300), harness.developer, request: request)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(outcome.result.errorKind, .timeout)
        XCTAssertEqual(outcome.result.message, "No answer from 127.0.0.1 within 0.3 s (timeout).")
        XCTAssertGreaterThanOrEqual(outcome.result.latencyMs, 250)
        XCTAssertEqual(outcome.connector.status, .error)
    }

    func testARefusedPortAndAnUnresolvableHost() async throws {
        let port = try LoopbackListener.refusedPort()
        let refused = try await harness.installREST(
            "Nothing there", url: "http://127.0.0.1:\(port)", token: StubService.goodKey)
        let first = try await harness.service.test(id: refused.id, harness.developer, request: request)
        XCTAssertEqual(first.result.errorKind, .connectionRefused)
        XCTAssertEqual(
            first.connector.statusMessage,
            "Connection refused by 127.0.0.1 port \(port): nothing is listening there.")

        let nowhere = try await harness.installREST(
            "Nowhere", url: "http://patchbay-test.invalid", token: StubService.goodKey)
        let second = try await harness.service.test(id: nowhere.id, harness.developer, request: request)
        XCTAssertEqual(second.result.errorKind, .dnsFailure)
        XCTAssertEqual(
            second.connector.statusMessage,
            "Could not resolve the host name patchbay-test.invalid (DNS failure).")
    }

    func testLoopbackIsRefusedWithoutTheAllowListEvenByName() async throws {
        let strict = try harness.node(allow: "")
        let connector = try await harness.installREST(
            "Local name", url: "http://localhost:\(stub.port)", token: StubService.goodKey)
        let outcome = try await strict.test(id: connector.id, harness.developer, request: request)
        XCTAssertEqual(outcome.result.errorKind, .addressNotAllowed)
        XCTAssertTrue(
            outcome.result.message.hasPrefix("Connections to localhost (127.0.0.1) are not allowed"),
            outcome.result.message)
        XCTAssertTrue(outcome.result.message.contains("PATCHBAY_OUTBOUND_ALLOW"))
        XCTAssertEqual(stub.connectionCount, 0, "nothing reached the server")
        XCTAssertEqual(outcome.connector.status, .error)
    }

    func testViewersMayNotTestAndOtherTenantsSeeNothing() async throws {
        let connector = try await harness.installREST(
            "Guarded", url: stub.url(""), token: StubService.goodKey)
        do {
            _ = try await harness.service.test(id: connector.id, harness.viewer, request: request)
            XCTFail("a viewer ran a test")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
        let fixtures = harness.database.fixtures
        let other = try await fixtures.tenant("globex")
        let stranger = try await fixtures.identity(
            try await fixtures.member("owner@globex.test", of: other, role: .owner), in: other)
        do {
            _ = try await harness.service.test(id: connector.id, stranger, request: request)
            XCTFail("another tenant's owner tested the connector")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
        }
        XCTAssertEqual(stub.connectionCount, 0)
        let row = try await harness.row(connector.id, lastTest)
        XCTAssertEqual(row["last_tested_at"], .some(nil))
    }

    func testATypeWithoutATestIsNotRecorded() async throws {
        let connector = try await harness.service.install(
            ConnectorDraft(
                catalogKey: "webhook", name: "Inbox", config: ["allowed_methods": ["POST"]],
                auth: ["method": "none"]),
            harness.admin, request: request)
        let outcome = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertEqual(outcome.result.errorKind, .unsupported)
        XCTAssertFalse(outcome.isRecorded)
        XCTAssertEqual(outcome.connector.status, .inactive)
        let row = try await harness.row(connector.id, lastTest)
        XCTAssertEqual(row["last_tested_at"], .some(nil))
    }
}
