import Foundation
import JSON
import Patchbay
import Postgres
import TestSupport
import XCTest

/// A node remembers the connectors it ran (credentials still sealed) to save a round trip per run;
/// every run is checked against the connector's row as it is recorded. These tests change the row
/// behind the node's back, as another node or a hand-written statement would, and expect the next
/// run to see the change.
final class ExecutionFreshnessTests: ExecutionWebTestCase {
    /// Runs `sql` with system scope, as another node's write would reach the row.
    private func elsewhere(_ sql: String, _ parameters: [any PostgresEncodable]) async throws {
        _ = try await app.fixtures.environment.database.system { connection in
            try await connection.execute(sql, parameters)
        }
    }

    func testAConnectorChangedElsewhereRunsAsItIsNow() async throws {
        let id = try await installEcho()
        let first = try await execute(developer, id, ["input": ["id": 1]])
        XCTAssertEqual(try first.json()["mapped"]?["path"], "/echo/1", first.text)

        try await elsewhere(
            "UPDATE connectors SET config = jsonb_set(config, '{url}', to_jsonb($2::text)) WHERE id = $1::uuid",
            [id, echo.url("/moved/{{input.id}}")])
        let second = try await execute(developer, id, ["input": ["id": 2]])
        XCTAssertEqual(
            try second.json()["mapped"]?["path"], "/moved/2", "the new URL, not the remembered one")
        XCTAssertEqual(echo.received("/echo/2").count, 0)

        try await elsewhere("UPDATE connectors SET status = 'inactive' WHERE id = $1::uuid", [id])
        let refused = try await execute(developer, id, ["input": ["id": 3]])
        XCTAssertEqual(refused.status, 409, refused.text)
        let queued = try await execute(developer, id, ["input": ["id": 3]], query: "?async=true")
        XCTAssertEqual(queued.status, 409, queued.text)
        XCTAssertEqual(echo.received.count, 2, "the deactivated connector sent nothing")
        let recorded = try await rawExecutionRows().count
        XCTAssertEqual(recorded, 2, "and nothing was recorded for it")

        try await elsewhere("UPDATE connectors SET status = 'active' WHERE id = $1::uuid", [id])
        let again = try await execute(developer, id, ["input": ["id": 4]])
        XCTAssertEqual(try again.json()["mapped"]?["path"], "/moved/4", again.text)
    }

    func testNewCredentialsAreUsedAndScrubbedFromTheNextRun() async throws {
        let id = try await installEcho(auth: ["method": "bearer", "token": "first-secret-token"])
        _ = try await execute(developer, id, ["input": ["id": 1]])
        let changed = try await call(
            admin, "PATCH", "/api/v1/connectors/\(id)",
            ["auth": ["method": "bearer", "token": "second-secret-token"]])
        XCTAssertEqual(changed.status, 200, changed.text)
        // The caller pastes the new secret into its input: it must be scrubbed from what is stored.
        let run = try await execute(developer, id, ["input": ["id": 2, "note": "second-secret-token"]])
        XCTAssertEqual(run.status, 200, run.text)
        XCTAssertEqual(echo.received("/echo/2").first?.header("Authorization"), "Bearer second-secret-token")
        let rows = try await rawExecutionRows()
        XCTAssertFalse(rows.contains { $0.contains("second-secret-token") }, rows.joined(separator: "\n"))
    }

    func testADeletedConnectorIsNotFound() async throws {
        let id = try await installEcho()
        _ = try await execute(developer, id, ["input": ["id": 1]])
        try await elsewhere("DELETE FROM connector_executions WHERE connector_id = $1::uuid", [id])
        try await elsewhere("DELETE FROM connectors WHERE id = $1::uuid", [id])
        let gone = try await execute(developer, id, ["input": ["id": 2]])
        XCTAssertEqual(gone.status, 404, gone.text)
        XCTAssertEqual(echo.received.count, 1)
    }
}
