import Foundation
import JSON
import Logging
import Patchbay
import Postgres
import TestSupport
import XCTest

extension ExecutionQueueTests {
    func testASyncRunIsRecordedFromStartToFinish() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let executions = store(tenant)
        let input: JSON = ["input": ["email": "ada@example.com"], "contact": ["id": 7], "workspace": [:]]
        let id = try await executions.start(connectorID: connector, input: input, createdBy: someone)

        let running = try await executions.get(id)
        XCTAssertEqual(running?.status, .executing)
        XCTAssertEqual(running?.summary.mode, .sync)
        XCTAssertNotNil(running?.summary.startedAt)
        XCTAssertNil(running?.summary.finishedAt)
        XCTAssertEqual(running?.input, input)
        XCTAssertNil(running?.output)

        let request = PreparedRequest(
            method: "POST", url: "https://api.example.com/lookup?api_key=%5BREDACTED%5D",
            headers: [.init(name: "Authorization", value: "[REDACTED]")], body: Array(#"{"q":1}"#.utf8))
        let outcome = ExecutionOutcome(
            status: .failed, httpStatus: 502, mapped: ["first_name": "Ada"],
            mappingProblems: [
                MappingProblem(
                    step: nil, sourcePath: "$.city", targetField: "city", message: "no value at $.city")
            ], rawResponse: "bad gateway", durationMs: 42, attempts: 3,
            error: ExecutionFailure(.httpStatus, "the server answered 502", step: "lookup"),
            redactedRequest: request)
        let recorded = try await executions.finish(id, outcome: outcome)
        XCTAssertTrue(recorded)

        let record = try await record(id, of: tenant)
        XCTAssertEqual(record.status, .failed)
        XCTAssertEqual(record.summary.httpStatus, 502)
        XCTAssertEqual(record.summary.error, "the server answered 502")
        XCTAssertEqual(record.summary.errorKind, "http_status")
        XCTAssertEqual(record.summary.errorStep, "lookup")
        XCTAssertEqual(record.summary.attempts, 3)
        XCTAssertEqual(record.summary.durationMs, 42)
        XCTAssertEqual(record.summary.createdBy, someone)
        XCTAssertNotNil(record.summary.finishedAt)
        XCTAssertEqual(record.request, request.summary(), "the redacted request, as given")
        XCTAssertEqual(record.output?["mapped"], ["first_name": "Ada"])
        XCTAssertEqual(record.output?["raw_response"], "bad gateway")
        XCTAssertEqual(record.output?["mapping_problems"]?[0]?["target_field"], "city")
        XCTAssertNil(record.output?["request"], "the request has a column of its own")

        let api = record.json()
        XCTAssertEqual(api["status"], "failed")
        XCTAssertEqual(api["error"]?["kind"], "http_status")
        XCTAssertEqual(api["mapped"], ["first_name": "Ada"])
        XCTAssertEqual(api["input"], input)

        let again = try await executions.finish(id, outcome: ExecutionOutcome(status: .completed))
        XCTAssertFalse(again, "a finished run is not finished twice")
        let unchanged = try await self.record(id, of: tenant)
        XCTAssertEqual(unchanged.status, .failed)
    }

    func testQueuingNotifiesTheChannelAndReplayReturnsTheStoredInput() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let executions = store(tenant)
        let notifications = try await testDatabase.pool.listen(ExecutionStore.channel)
        let input: JSON = ["input": ["n": 1]]
        let id = try await executions.enqueue(connectorID: connector, input: input, createdBy: someone)

        let notification = await Self.next(notifications, within: .seconds(5))
        XCTAssertEqual(notification?.channel, ExecutionStore.channel)
        XCTAssertEqual(notification?.payload, "", "the payload tells other tenants nothing")

        let queued = try await record(id, of: tenant)
        XCTAssertEqual(queued.status, .pending)
        XCTAssertEqual(queued.summary.mode, .async)
        XCTAssertNotNil(queued.summary.queuedAt)
        XCTAssertNil(queued.summary.startedAt)

        let replay = try await executions.replay(id)
        XCTAssertEqual(replay.connectorID, connector)
        XCTAssertEqual(replay.input, input)
        let rerun = try await executions.start(
            connectorID: replay.connectorID, input: replay.input, createdBy: someone, replayOf: id)
        let replayed = try await record(rerun, of: tenant)
        XCTAssertEqual(replayed.summary.replayOf, id)
        let finishedThroughStore = try await executions.finish(
            id, outcome: ExecutionOutcome(status: .completed))
        XCTAssertFalse(
            finishedThroughStore,
            "a queued run is finished by the worker that claimed it, not through the store")
    }

    func testATenantNeitherSeesNorTouchesAnotherTenantsExecutions() async throws {
        let (alpha, alphaConnector) = try await tenantWithConnector("alpha")
        let (bravo, bravoConnector) = try await tenantWithConnector("bravo")
        let secretInput: JSON = ["input": ["note": "alpha only"]]
        let alphaRun = try await store(alpha).start(
            connectorID: alphaConnector, input: secretInput, createdBy: someone)
        let bravoRun = try await store(bravo).enqueue(
            connectorID: bravoConnector, input: [:], createdBy: someone)

        let asBravo = store(bravo)
        let seen = try await asBravo.get(alphaRun)
        XCTAssertNil(seen)
        let listed = try await asBravo.list(connectorID: alphaConnector)
        XCTAssertEqual(listed.executions.count, 0)
        let finished = try await asBravo.finish(alphaRun, outcome: ExecutionOutcome(status: .completed))
        XCTAssertFalse(finished)
        await XCTAssertThrowsAppError(.notFound) { _ = try await asBravo.replay(alphaRun) }
        await XCTAssertThrowsAppError(.notFound) {
            _ = try await asBravo.start(connectorID: alphaConnector, input: [:], createdBy: self.someone)
        }
        await XCTAssertThrowsAppError(.notFound) {
            _ = try await asBravo.start(
                connectorID: bravoConnector, input: [:], createdBy: self.someone, replayOf: alphaRun)
        }
        let bravoRecord = try await record(bravoRun, of: bravo)
        XCTAssertEqual(bravoRecord.status, .pending)
        let alphaRecord = try await record(alphaRun, of: alpha)
        XCTAssertEqual(alphaRecord.status, .executing)

        // The second wall: without the store's own filters, row-level security still separates them.
        let unfiltered = try await database.tenant(bravo, readOnly: true) { connection in
            try await connection.query("SELECT tenant_id FROM connector_executions")
        }
        XCTAssertEqual(try unfiltered.map { try $0.decode(0, as: UUID.self) }, [bravo])
        let outsideAnyScope = try await testDatabase.pool.queryFirst(
            "SELECT count(*) FROM connector_executions")
        XCTAssertEqual(try outsideAnyScope?.decode(0, as: Int.self), 0)
        do {
            _ = try await database.tenant(bravo) { connection in
                try await connection.execute(
                    "INSERT INTO connector_executions (tenant_id, connector_id, status, mode) VALUES ($1, $2, 'pending', 'async')",
                    [alpha, alphaConnector])
            }
            XCTFail("a row for another tenant must be refused")
        } catch let error as PostgresError {
            XCTAssertEqual(error.sqlState, "42501", "row-level security violation")
        }
        do {
            _ = try await database.system { connection in
                try await connection.execute(
                    "INSERT INTO connector_executions (tenant_id, connector_id, status, mode) VALUES ($1, $2, 'pending', 'async')",
                    [bravo, alphaConnector])
            }
            XCTFail("an execution must not pair one tenant with another's connector")
        } catch let error as PostgresError {
            XCTAssertEqual(error.sqlState, "23503", "foreign key (connector_id, tenant_id)")
        }
    }

    func testHistoryPagesWithAKeysetThatSurvivesTiesAndNewRuns() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let other = try await self.connector(for: tenant, named: "other")
        let executions = store(tenant)
        var ids: [UUID] = []
        for n in 0..<23 {
            ids.append(
                try await executions.start(
                    connectorID: connector, input: ["n": .int(Int64(n))], createdBy: someone))
        }
        _ = try await executions.start(connectorID: other, input: [:], createdBy: someone)
        // Ten runs share one instant (with microseconds), so only the id orders them.
        _ = try await database.system { connection in
            try await connection.execute(
                "UPDATE connector_executions SET created_at = '2024-05-06 07:08:09.123457+00' WHERE id = ANY($1)",
                [Array(ids[5..<15])])
        }
        let expected = try await database.system(readOnly: true) { connection in
            try await connection.query(
                "SELECT id FROM connector_executions WHERE connector_id = $1 ORDER BY created_at DESC, id DESC",
                [connector])
        }.map { try $0.decode(0, as: UUID.self) }

        var seen: [UUID] = []
        var cursor: ExecutionCursor?
        var pages = 0
        repeat {
            let page = try await executions.list(connectorID: connector, limit: 4, before: cursor)
            XCTAssertLessThanOrEqual(page.executions.count, 4)
            XCTAssertTrue(page.executions.allSatisfy { $0.connectorID == connector })
            seen += page.executions.map(\.id)
            cursor = try page.next.map {
                try XCTUnwrap(ExecutionCursor($0.description), "the cursor's text parses back")
            }
            pages += 1
            if pages == 2 {
                // A run recorded meanwhile is newer than every cursor: it shifts no later page.
                _ = try await executions.start(connectorID: connector, input: [:], createdBy: someone)
            }
        } while cursor != nil && pages < 20
        XCTAssertEqual(pages, 6)
        XCTAssertEqual(seen, expected, "every run once, newest first, ties broken by id")
        XCTAssertNil(ExecutionCursor("not a cursor"))
    }
}

/// Asserts that `body` throws an `AppError` of `kind`.
func XCTAssertThrowsAppError(
    _ kind: AppError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> Void
) async {
    do {
        try await body()
        XCTFail("expected an error of kind \(kind)", file: file, line: line)
    } catch let error as AppError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
    } catch {
        XCTFail("expected an AppError of kind \(kind), got \(error)", file: file, line: line)
    }
}

extension ExecutionQueueTests {
    func testAChainRecorderRecordsEachLinkOnItsOwnConnector() async throws {
        let (tenant, first) = try await tenantWithConnector("alpha")
        let second = try await connector(for: tenant, named: "verify")
        let executions = store(tenant)
        let recorder = executions.chainRecorder(
            connectorIDs: [first, second], createdBy: someone, logger: Logger(label: "test.chain")
        ) { position, contact in
            ["contact": .object(contact), "position": .int(Int64(position))]
        }
        let link = ChainLink(name: "verify", config: [:], auth: [:])
        let executionID = try await recorder.willRun(1, link, ["email": "ada@example.com"])
        let id = try XCTUnwrap(executionID)
        let running = try await record(id, of: tenant)
        XCTAssertEqual(running.summary.connectorID, second)
        XCTAssertEqual(running.status, .executing)
        XCTAssertEqual(running.input, ["contact": ["email": "ada@example.com"], "position": 1])

        await recorder.didRun(id, ExecutionOutcome(status: .completed, mapped: ["valid": true], attempts: 1))
        let done = try await record(id, of: tenant)
        XCTAssertEqual(done.status, .completed)
        XCTAssertEqual(done.output?["mapped"], ["valid": true])
        do {
            _ = try await recorder.willRun(2, link, [:])
            XCTFail("a position past the connectors given is refused")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .internal)
        }
    }
}

extension ExecutionQueueTests {
    /// The row version a caller read the connector at (what `RunnableConnector.version` holds).
    private func version(of connector: UUID) async throws -> String {
        try await database.system(readOnly: true) { connection in
            try await connection.queryFirst("SELECT xmin::text FROM connectors WHERE id = $1", [connector])!
                .decode(0)
        }
    }

    func testARunOfAConnectorThatChangedSinceItWasReadIsNotRecorded() async throws {
        let (tenant, connector) = try await tenantWithConnector("acme")
        let store = store(tenant)
        let read = try await version(of: connector)
        let first = try await store.start(
            connectorID: connector, input: ["n": 1], createdBy: someone, connectorVersion: read)
        let stillThere = try await store.get(first)
        XCTAssertEqual(stillThere?.summary.status, .executing)

        try await database.system { connection in
            try await connection.execute(
                "UPDATE connectors SET name = name || ' (renamed)' WHERE id = $1", [connector])
        }
        for mode in [ExecutionMode.sync, .async] {
            do {
                _ =
                    mode == .sync
                    ? try await store.start(
                        connectorID: connector, input: ["n": 2], createdBy: someone, connectorVersion: read)
                    : try await store.enqueue(
                        connectorID: connector, input: ["n": 2], createdBy: someone, connectorVersion: read)
                XCTFail("a \(mode) run of a stale connector was recorded")
            } catch is ExecutionStore.ConnectorChanged {}
        }
        let page = try await store.list(connectorID: connector)
        XCTAssertEqual(page.executions.map(\.id), [first], "nothing was recorded for the stale reads")
        let current = try await version(of: connector)
        XCTAssertNotEqual(current, read)
        _ = try await store.start(
            connectorID: connector, input: ["n": 3], createdBy: someone, connectorVersion: current)
    }

    func testARunIsRefusedForAMissingConnectorOrReplayWithTheRightReason() async throws {
        let (tenant, connector) = try await tenantWithConnector("acme")
        let (_, foreign) = try await tenantWithConnector("globex")
        let store = store(tenant)
        do {
            _ = try await store.start(connectorID: foreign, input: [:], createdBy: someone)
            XCTFail("another tenant's connector was run")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
            XCTAssertTrue(error.message.contains("connector"), error.message)
        }
        do {
            _ = try await store.enqueue(
                connectorID: connector, input: [:], createdBy: someone, replayOf: UUID())
            XCTFail("a replay of nothing was queued")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
            XCTAssertTrue(error.message.contains("replayed"), error.message)
        }
        let page = try await store.list(connectorID: connector)
        XCTAssertTrue(page.executions.isEmpty)
    }
}
