import Foundation
import JSON
import Patchbay
import Postgres
import TestSupport
import XCTest

/// Scheduled health checks: the per-connector setting, claims that two nodes never share, the failure
/// count that puts an active connector in error, and the background loop.
final class HealthCheckTests: XCTestCase {
    private var harness: ConnectionTestHarness!
    private var stub: StubService!
    private let request = ConnectionTestHarness.request
    private let settings = HealthCheckSettings(failureThreshold: 3, batchSize: 10, concurrency: 3)

    override func setUp() async throws {
        harness = try await ConnectionTestHarness.start()
        stub = try StubService()
    }

    override func tearDown() async throws {
        stub?.stop()
        await harness?.stop()
    }

    /// An active REST connector checked every 5 minutes, due now.
    private func checked(_ name: String, url: String? = nil, path: String = "/status/200") async throws
        -> Connector
    {
        let connector = try await harness.installREST(
            name, url: url ?? stub.url(""), path: path, token: StubService.goodKey)
        try await harness.activate(connector)
        _ = try await harness.service.setHealthCheck(
            id: connector.id, minutes: 5, harness.admin, request: request)
        try await harness.makeDue(connector.id)
        return connector
    }

    func testTheSettingIsValidatedAuditedAndOffByDefault() async throws {
        let connector = try await harness.installREST(
            "Billing", url: stub.url(""), token: StubService.goodKey)
        XCTAssertFalse(connector.healthCheck.isEnabled)
        for minutes in [0, 10_081] {
            do {
                _ = try await harness.service.setHealthCheck(
                    id: connector.id, minutes: minutes, harness.admin, request: request)
                XCTFail("\(minutes) minutes was accepted")
            } catch let error as AppError {
                XCTAssertEqual(error.kind, .validation)
                XCTAssertNotNil(error.fields["interval_minutes"])
            }
        }
        do {
            _ = try await harness.service.setHealthCheck(
                id: connector.id, minutes: 5, harness.developer, request: request)
            XCTFail("a developer changed the schedule")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
        let on = try await harness.service.setHealthCheck(
            id: connector.id, minutes: 15, harness.admin, request: request)
        XCTAssertEqual(on.healthCheck.intervalMinutes, 15)
        let next = try XCTUnwrap(on.healthCheck.nextCheckAt).timeIntervalSinceNow
        XCTAssertEqual(next, 15 * 60, accuracy: 30, "the first check is one interval away")
        XCTAssertEqual(on.rowVersion, connector.rowVersion, "no 409 for someone editing meanwhile")
        let off = try await harness.service.setHealthCheck(
            id: connector.id, minutes: nil, harness.admin, request: request)
        XCTAssertEqual(off.healthCheck, .off)
        let audit = try await harness.audit(connector.id)
        XCTAssertEqual(audit.filter { $0.hasPrefix("connector.health_check_changed") }.count, 2)
        let last = try XCTUnwrap(audit.last)
        XCTAssertTrue(last.contains(#""from": 15"#) && last.contains(#""to": null"#), last)

        let webhook = try await harness.service.install(
            ConnectorDraft(
                catalogKey: "webhook", name: "Inbox", config: ["allowed_methods": ["POST"]],
                auth: ["method": "none"]),
            harness.admin, request: request)
        do {
            _ = try await harness.service.setHealthCheck(
                id: webhook.id, minutes: 5, harness.admin, request: request)
            XCTFail("a connector without a test was scheduled")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
        }
    }

    func testOnlyActiveConnectorsThatAreDueAreChecked() async throws {
        let due = try await checked("Due")
        let later = try await checked("Later")
        _ = try await harness.service.setHealthCheck(
            id: later.id, minutes: 60, harness.admin, request: request)
        let inactive = try await checked("Inactive")
        _ = try await harness.service.setStatus(
            id: inactive.id, to: .inactive, harness.admin, request: request)
        _ = try await harness.installREST("Unscheduled", url: stub.url(""), token: StubService.goodKey)

        let reports = try await harness.service.runDueHealthChecks(settings)
        XCTAssertEqual(reports.map(\.connectorID), [due.id])
        XCTAssertEqual(reports.first?.result?.success, true)
        let row = try await harness.row(due.id, ["last_health_check_at", "last_test_result"])
        XCTAssertNotNil(row["last_health_check_at"] ?? nil)
        XCTAssertEqual(row["last_test_result"], "success")
        let ahead = try await harness.database.fixtures.column(
            "SELECT (next_health_check_at > now() + interval '4 minutes')::text FROM connectors WHERE id = $1",
            [due.id])
        XCTAssertEqual(ahead, ["true"])
        let again = try await harness.service.runDueHealthChecks(settings)
        XCTAssertEqual(again.count, 0, "the claim moved the next check an interval ahead")
        XCTAssertEqual(stub.connectionCount, 1)
    }

    func testThreeFailuresInARowPutTheConnectorInErrorAndASuccessResetsTheCount() async throws {
        let port = try LoopbackListener.refusedPort()
        let connector = try await checked("Flaky", url: "http://127.0.0.1:\(port)")
        for expected in 1...2 {
            let reports = try await harness.service.runDueHealthChecks(settings)
            XCTAssertEqual(reports.first?.result?.errorKind, .connectionRefused)
            XCTAssertEqual(reports.first?.status, .active)
            let row = try await harness.row(
                connector.id, ["consecutive_failures", "status", "last_test_result"])
            XCTAssertEqual(row["consecutive_failures"], String(expected))
            XCTAssertEqual(row["status"], "active")
            XCTAssertEqual(row["last_test_result"], "failure")
            try await harness.makeDue(connector.id)
        }
        // A success in between starts the count again.
        _ = try await harness.service.update(
            id: connector.id, ConnectorChanges(config: .merge(["base_url": .string(stub.url(""))])),
            harness.admin, request: request)
        _ = try await harness.service.runDueHealthChecks(settings)
        let reset = try await harness.row(connector.id, ["consecutive_failures", "last_test_result"])
        XCTAssertEqual(reset["consecutive_failures"], "0")
        XCTAssertEqual(reset["last_test_result"], "success")
        _ = try await harness.service.update(
            id: connector.id,
            ConnectorChanges(config: .merge(["base_url": .string("http://127.0.0.1:\(port)")])),
            harness.admin, request: request)
        for round in 1...3 {
            try await harness.makeDue(connector.id)
            let reports = try await harness.service.runDueHealthChecks(settings)
            let report = try XCTUnwrap(reports.first)
            XCTAssertEqual(report.changedToError, round == 3, "round \(round)")
        }
        let after = try await harness.service.get(id: connector.id, harness.admin)
        XCTAssertEqual(after.status, .error)
        XCTAssertEqual(
            after.statusMessage,
            "3 scheduled health checks failed in a row; the last: Connection refused by 127.0.0.1 port \(port): "
                + "nothing is listening there.")
        XCTAssertEqual(after.healthCheck.consecutiveFailures, 0, "the error holds the reason now")
        let audit = try await harness.audit(connector.id)
        let change = try XCTUnwrap(audit.last)
        XCTAssertTrue(change.hasPrefix("connector.status_changed health check "), change)
        // In error, the connector is not checked again until someone activates it.
        try await harness.makeDue(connector.id)
        let idle = try await harness.service.runDueHealthChecks(settings)
        XCTAssertEqual(idle.count, 0)
    }

    func testAClaimInProgressIsSkippedNotWaitedFor() async throws {
        var ids: [UUID] = []
        for index in 0..<4 { ids.append(try await checked("Held \(index)").id) }
        let held = Array(ids.prefix(2))
        let database = harness.database.environment.database
        // Another node is mid-claim on two rows: it holds their locks for three seconds.
        let (locked, signal) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await database.system { connection in
                _ = try await connection.query(
                    "SELECT id FROM connectors WHERE id = ANY ($1::uuid[]) FOR UPDATE", [held])
                signal.yield()
                try await Task.sleep(for: .seconds(3))
            }
        }
        for await _ in locked { break }
        let started = ContinuousClock.now
        let reports = try await harness.service.runDueHealthChecks(settings)
        XCTAssertLessThan(
            ContinuousClock.now - started, .seconds(2), "locked rows are skipped, not waited for")
        XCTAssertEqual(Set(reports.map(\.connectorID)), Set(ids).subtracting(held))
        try await holder.value
        let rest = try await harness.service.runDueHealthChecks(settings)
        XCTAssertEqual(Set(rest.map(\.connectorID)), Set(held), "released rows are still due")
    }

    func testTwoNodesCheckingAtOnceNeverRunTheSameCheck() async throws {
        var ids: [UUID] = []
        for index in 0..<24 { ids.append(try await checked("Shared \(index)").id) }
        let nodes = [harness.service, try harness.node(), try harness.node()]
        let small = HealthCheckSettings(failureThreshold: 3, batchSize: 3, concurrency: 2)
        let rounds = ids.count
        let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for node in nodes {
                group.addTask {
                    var mine: [UUID] = []
                    // Bounded: if claims did not move checks forward, they would stay due forever.
                    for _ in 0..<rounds {
                        let reports = try await node.runDueHealthChecks(small)
                        if reports.isEmpty { break }
                        mine += reports.map(\.connectorID)
                    }
                    return mine
                }
            }
            var all: [[UUID]] = []
            for try await mine in group { all.append(mine) }
            return all
        }
        let flat = claimed.flatMap { $0 }
        XCTAssertEqual(flat.count, ids.count, "each due check ran exactly once")
        XCTAssertEqual(Set(flat), Set(ids))
        XCTAssertEqual(stub.connectionCount, ids.count)
        XCTAssertGreaterThan(claimed.filter { !$0.isEmpty }.count, 1, "the nodes shared the work")
    }

    func testTheBackgroundLoopRunsDueChecks() async throws {
        let connector = try await checked("Looped")
        let scheduler = HealthCheckScheduler(
            connectors: harness.service, settings: HealthCheckSettings(pollInterval: .milliseconds(100)),
            logger: .init(label: "test.health"))
        let loop = Task { await scheduler.run() }
        defer { loop.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        var checkedAt: String??
        while ContinuousClock.now < deadline {
            checkedAt = try await harness.row(connector.id, ["last_health_check_at"])["last_health_check_at"]
            if checkedAt ?? nil != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTAssertNotNil(checkedAt ?? nil, "the loop ran the due check")
        let card = try await harness.service.get(id: connector.id, harness.viewer)
        XCTAssertNotNil(card.healthCheck.lastCheckedAt)
        XCTAssertEqual(card.lastTest?.succeeded, true)
    }
}
