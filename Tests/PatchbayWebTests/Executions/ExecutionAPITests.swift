import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The execute and executions API over a real socket, running custom HTTP connectors against an echo
/// server on 127.0.0.1: synchronous and queued runs, refusals, roles, paging and replays.
final class ExecutionAPITests: ExecutionWebTestCase {
    func testASyncRunReachesTheServerAndIsRecorded() async throws {
        let id = try await installEcho()
        let response = try await execute(
            developer, id, ["input": ["id": 42], "contact": ["email": "ada@example.com"]])
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        XCTAssertEqual(body["status"], "completed")
        XCTAssertEqual(body["http_status"], 200)
        XCTAssertEqual(body["attempts"], 1)
        XCTAssertEqual(body["mapped"]?["path"], "/echo/42")
        XCTAssertEqual(body["mapped"]?["method"], "POST")
        XCTAssertNotNil(body["duration_ms"]?.int)
        XCTAssertTrue(body["raw_response"]?.string?.contains("ada@example.com") ?? false)
        XCTAssertEqual(body["connector_id"]?.string, id)

        let sent = echo.received("/echo/42")
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(sent.first?.body, #"{"email":"ada@example.com"}"#)
        // The call was driven on the server's event loop, whose session now waits for the next run.
        XCTAssertEqual(app.environment.outbound.client.loop?.idleSessions, 1)

        let executionID = try XCTUnwrap(body["execution_id"]?.string)
        let stored = try await call(viewer, "GET", "/api/v1/executions/\(executionID)")
        XCTAssertEqual(stored.status, 200)
        let record = try stored.json()
        XCTAssertEqual(record["status"], "completed")
        XCTAssertEqual(record["mode"], "sync")
        XCTAssertEqual(record["http_status"], 200)
        XCTAssertEqual(record["input"]?["input"]?["id"], 42)
        XCTAssertEqual(record["input"]?["contact"]?["email"], "ada@example.com")
        XCTAssertEqual(record["mapped"]?["path"], "/echo/42")
        XCTAssertEqual(record["request"]?["method"], "POST")
        XCTAssertTrue(record["created_by"]?.string?.contains("developer-bot") ?? false, stored.text)
    }

    func testAQueuedRunIsAcceptedAndAWorkerCompletesIt() async throws {
        let id = try await installEcho()
        let accepted = try await execute(developer, id, ["input": ["id": 7]], query: "?async=true")
        XCTAssertEqual(accepted.status, 202, accepted.text)
        let executionID = try XCTUnwrap(try accepted.json()["execution_id"]?.string)
        XCTAssertEqual(try accepted.json()["status"], "pending")
        XCTAssertEqual(accepted.header("Location"), "/api/v1/executions/\(executionID)")
        let pending = try await call(viewer, "GET", "/api/v1/executions/\(executionID)")
        XCTAssertEqual(try pending.json()["status"], "pending", "nothing runs it until a worker does")
        XCTAssertTrue(echo.received.isEmpty)

        let worker = app.app.executions.makeWorker(
            nodeID: "test-node", concurrency: 2, leaseDuration: .seconds(5), pollInterval: .milliseconds(50))
        try await worker.start()
        try await eventually("the worker completed the run") {
            let record = try await call(viewer, "GET", "/api/v1/executions/\(executionID)").json()
            return record["status"] == "completed"
        }
        await worker.stop()
        let record = try await call(viewer, "GET", "/api/v1/executions/\(executionID)").json()
        XCTAssertEqual(record["mode"], "async")
        XCTAssertEqual(record["claims"], 1)
        XCTAssertEqual(record["mapped"]?["path"], "/echo/7")
        XCTAssertEqual(echo.received("/echo/7").count, 1)
        XCTAssertEqual(worker.statistics.recorded, 1)
    }

    func testConnectorsThatCannotRunAreRefusedAndNothingIsRecorded() async throws {
        let inactive = try await installEcho("Sleeping", activate: false)
        let refused = try await execute(developer, inactive, [:])
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertEqual(try refused.json()["error"]?["code"], "conflict")
        XCTAssertTrue(try refused.json()["error"]?["message"]?.string?.contains("inactive") ?? false)
        let queued = try await execute(developer, inactive, [:], query: "?async=true").status
        XCTAssertEqual(queued, 409)

        let openAI = try await app.app.connectors.install(
            ConnectorFixtures.openAI("Assistant"), try await identity(.admin), request: .commandLine)
        let unsupported = try await execute(developer, openAI.id.uuidString.lowercased(), [:])
        XCTAssertEqual(unsupported.status, 501, unsupported.text)
        XCTAssertEqual(try unsupported.json()["error"]?["code"], "not_implemented")

        let webhook = try await call(
            admin, "POST", "/api/v1/connectors",
            ["catalog_key": "webhook", "name": "Inbound", "config": [:], "auth": ["method": "none"]])
        XCTAssertEqual(webhook.status, 201, webhook.text)
        let webhookID = try XCTUnwrap(try webhook.json()["id"]?.string)
        let nothing = try await execute(developer, webhookID, [:])
        XCTAssertEqual(nothing.status, 422, "a webhook has nothing to execute: \(nothing.text)")
        XCTAssertTrue(echo.received.isEmpty)
        let recorded = try await rawExecutionRows().count
        XCTAssertEqual(recorded, 0)
    }

    func testRolesBelowDeveloperMayReadButNotRun() async throws {
        let id = try await installEcho()
        let refused = try await execute(viewer, id, [:])
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(try refused.json()["error"]?["code"], "forbidden")
        let chain = try await call(viewer, "POST", "/api/v1/chains/run", ["connectors": [.string(id)]]).status
        XCTAssertEqual(chain, 403)
        let ran = try await execute(developer, id, [:])
        let executionID = try XCTUnwrap(try ran.json()["execution_id"]?.string)
        let replay = try await call(viewer, "POST", "/api/v1/executions/\(executionID)/replay").status
        XCTAssertEqual(replay, 403)
        let list = try await call(viewer, "GET", "/api/v1/connectors/\(id)/executions").status
        XCTAssertEqual(list, 200)
        let get = try await call(viewer, "GET", "/api/v1/executions/\(executionID)").status
        XCTAssertEqual(get, 200)
        XCTAssertEqual(echo.received.count, 1, "only the developer's run went out")
    }

    func testAnotherTenantsConnectorsAndExecutionsDoNotExist() async throws {
        let id = try await installEcho()
        let ran = try await execute(developer, id, ["input": ["id": 1]])
        let executionID = try XCTUnwrap(try ran.json()["execution_id"]?.string)
        let globex = try await app.fixtures.tenant("globex", name: "Globex")
        let outsider = try await app.fixtures.token(in: globex, role: .owner, name: "globex-owner").secret

        for response in [
            try await execute(outsider, id, [:]),
            try await execute(outsider, id, [:], query: "?async=true"),
            try await call(outsider, "GET", "/api/v1/connectors/\(id)/executions"),
            try await call(outsider, "GET", "/api/v1/executions/\(executionID)"),
            try await call(outsider, "POST", "/api/v1/executions/\(executionID)/replay"),
        ] {
            XCTAssertEqual(response.status, 404, response.text)
            XCTAssertFalse(response.text.contains("Echo"), "the connector's name stays hidden")
        }
        let chain = try await call(outsider, "POST", "/api/v1/chains/run", ["connectors": [.string(id)]])
        XCTAssertEqual(chain.status, 404, chain.text)
        XCTAssertNotNil(try chain.json()["error"]?["fields"]?["connectors[0]"])
        XCTAssertEqual(echo.received.count, 1, "no request went out for the other tenant")
        let recorded = try await rawExecutionRows().count
        XCTAssertEqual(recorded, 1)
    }

    func testHistoryPagesNewestFirstWithACursor() async throws {
        let id = try await installEcho()
        var ran: [String] = []
        for number in 1...5 {
            let response = try await execute(developer, id, ["input": ["id": .int(Int64(number))]])
            ran.append(try XCTUnwrap(try response.json()["execution_id"]?.string))
        }
        var seen: [String] = []
        var path = "/api/v1/connectors/\(id)/executions?limit=2"
        var pages = 0
        while true {
            let response = try await call(viewer, "GET", path)
            XCTAssertEqual(response.status, 200, response.text)
            let body = try response.json()
            let items = body["items"]?.array ?? []
            XCTAssertLessThanOrEqual(items.count, 2)
            seen += items.compactMap { $0["id"]?.string }
            XCTAssertTrue(items.allSatisfy { $0["status"] == "completed" && $0["input"] == nil })
            pages += 1
            guard let cursor = body["next_cursor"]?.string else { break }
            path = "/api/v1/connectors/\(id)/executions?limit=2&before=\(cursor)"
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen, ran.reversed(), "every run once, newest first")

        let badCursor = try await call(viewer, "GET", "/api/v1/connectors/\(id)/executions?before=yesterday")
        XCTAssertEqual(badCursor.status, 422)
        XCTAssertNotNil(try badCursor.json()["error"]?["fields"]?["before"])
        let badLimit = try await call(viewer, "GET", "/api/v1/connectors/\(id)/executions?limit=0")
        XCTAssertNotNil(try badLimit.json()["error"]?["fields"]?["limit"])
        let other = try await installEcho("Quiet")
        let empty = try await call(viewer, "GET", "/api/v1/connectors/\(other)/executions")
        XCTAssertEqual(try empty.json()["items"], [])
        let unknown = try await call(viewer, "GET", "/api/v1/connectors/\(UUID())/executions")
        XCTAssertEqual(unknown.status, 404)
    }

    func testAReplayRunsTheStoredInputAgain() async throws {
        let id = try await installEcho()
        let first = try await execute(
            developer, id, ["input": ["id": 9], "contact": ["email": "b@example.com"]])
        let firstID = try XCTUnwrap(try first.json()["execution_id"]?.string)
        let replay = try await call(developer, "POST", "/api/v1/executions/\(firstID)/replay")
        XCTAssertEqual(replay.status, 200, replay.text)
        let replayID = try XCTUnwrap(try replay.json()["execution_id"]?.string)
        XCTAssertNotEqual(replayID, firstID)
        XCTAssertEqual(try replay.json()["mapped"]?["path"], "/echo/9")
        let record = try await call(viewer, "GET", "/api/v1/executions/\(replayID)").json()
        XCTAssertEqual(record["replay_of"]?.string, firstID)
        XCTAssertEqual(record["input"]?["contact"]?["email"], "b@example.com")
        XCTAssertEqual(
            echo.received("/echo/9").map(\.body), Array(repeating: #"{"email":"b@example.com"}"#, count: 2))

        let queued = try await call(developer, "POST", "/api/v1/executions/\(firstID)/replay?async=true")
        XCTAssertEqual(queued.status, 202)
        let unknownReplay = try await call(developer, "POST", "/api/v1/executions/\(UUID())/replay").status
        XCTAssertEqual(unknownReplay, 404)
    }

    func testBadBodiesAreRefusedWithEveryProblemByField() async throws {
        let id = try await installEcho()
        let values = try await execute(
            developer, id, ["input": "x", "contact": [1], "workspace": ["ok": true]])
        XCTAssertEqual(values.status, 422)
        let fields = try values.json()["error"]?["fields"]
        XCTAssertEqual(fields?["input"], ["must be an object"])
        XCTAssertEqual(fields?["contact"], ["must be an object"])
        XCTAssertNil(fields?["workspace"])
        let mode = try await execute(developer, id, [:], query: "?async=maybe")
        XCTAssertNotNil(try mode.json()["error"]?["fields"]?["async"])
        let chain = try await call(
            developer, "POST", "/api/v1/chains/run", ["connectors": [.string(id), "nope", 3], "input": "x"])
        XCTAssertEqual(chain.status, 422)
        let chainFields = try chain.json()["error"]?["fields"]
        XCTAssertEqual(chainFields?["connectors[1]"], ["must be a connector id"])
        XCTAssertEqual(chainFields?["connectors[2]"], ["must be a connector id"])
        XCTAssertEqual(chainFields?["input"], ["must be an object"])
        let missing = try await call(developer, "POST", "/api/v1/chains/run", ["contact": [:]])
        XCTAssertNotNil(try missing.json()["error"]?["fields"]?["connectors"])
        let tooMany = try await call(
            developer, "POST", "/api/v1/chains/run",
            ["connectors": .array(Array(repeating: .string(id), count: 11))])
        XCTAssertNotNil(try tooMany.json()["error"]?["fields"]?["connectors"])
        XCTAssertTrue(echo.received.isEmpty)
    }

    func testABrokenConfigPutsTheConnectorInErrorButAServerErrorDoesNot() async throws {
        echo.reply("/down", .init(status: 500, json: #"{"error": "down"}"#))
        let flaky = try await install("Flaky", config: ["method": "GET", "url": .string(echo.url("/down"))])
        let failed = try await execute(developer, flaky, [:])
        XCTAssertEqual(try failed.json()["status"], "failed")
        XCTAssertEqual(try failed.json()["error"]?["kind"], "http_status")
        let flakyStatus = try await call(viewer, "GET", "/api/v1/connectors/\(flaky)").json()["status"]
        XCTAssertEqual(flakyStatus, "active")

        let broken = try await install(
            "Broken", config: ["method": "GET", "url": .string(echo.url("/x/{{input.id"))])
        let invalid = try await execute(developer, broken, [:])
        XCTAssertEqual(invalid.status, 200)
        XCTAssertEqual(try invalid.json()["error"]?["kind"], "invalid_config")
        let connector = try await call(viewer, "GET", "/api/v1/connectors/\(broken)").json()
        XCTAssertEqual(connector["status"], "error")
        XCTAssertTrue(connector["status_message"]?.string?.hasPrefix("A run failed") ?? false)
        let again = try await execute(developer, broken, [:]).status
        XCTAssertEqual(again, 409, "in error until fixed")
        let audit = try await app.fixtures.column(
            "SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id DESC LIMIT 1", [broken])
        XCTAssertEqual(audit, ["connector.status_changed"])
    }

    func identity(_ role: Role) async throws -> Identity {
        let user = try await app.fixtures.member("\(role.rawValue)-\(UUID())@acme.test", of: acme, role: role)
        return try await app.fixtures.identity(user, in: acme)
    }
}
