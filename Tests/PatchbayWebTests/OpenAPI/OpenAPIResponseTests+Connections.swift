import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// Connection tests, health checks, attachments and queries against the document: each operation's
/// successes and the errors it documents, from real local targets (the app's own `/healthz`, a
/// database of its own on the test cluster).
extension OpenAPIResponseTests {
    func testConnectionTestsAndHealthChecksMatchTheirSchemas() async throws {
        let tenant = try await app.fixtures.tenant("probes", name: "Probes Ltd")
        token = try await app.fixtures.token(in: tenant, role: .owner).secret
        let base = "http://127.0.0.1:\(app.client.port)"
        let config: JSON = ["base_url": .string(base), "health_check_path": "/healthz"]
        let connector = try await check(
            "POST", "/api/v1/connectors", 201,
            body: ["catalog_key": "rest", "name": "Self check", "config": config, "auth": ["method": "none"]])
        XCTAssertEqual(connector["health_check"]?["interval_minutes"], .null)
        let id = try XCTUnwrap(connector["id"]?.string)
        let one = "/api/v1/connectors/{id}"

        let passed = try await check("POST", "/api/v1/connectors/\(id)/test", 200, pattern: one + "/test")
        XCTAssertEqual(passed["success"], true, "\(passed)")
        XCTAssertEqual(passed["recorded"], true)
        try await check(
            "PATCH", "/api/v1/connectors/\(id)", 200, pattern: one,
            body: ["config": ["health_check_path": "/no-such-page"]])
        let failed = try await check(
            "POST", "/api/v1/connectors/\(id)/test", 200, pattern: one + "/test", body: ["timeout_ms": 5000])
        XCTAssertEqual(failed["error_kind"], "unexpected_status")
        XCTAssertEqual(failed["status"], "error")
        try await check(
            "POST", "/api/v1/connectors/\(id)/test", 422, pattern: one + "/test", body: ["timeout_ms": 5])

        let draft = try await check(
            "POST", "/api/v1/connectors/test", 200,
            body: ["catalog_key": "rest", "config": config, "auth": ["method": "none"]])
        XCTAssertEqual(draft["success"], true, "\(draft)")
        XCTAssertNil(draft["recorded"], "a draft test records nothing")
        try await check(
            "POST", "/api/v1/connectors/test", 200,
            body: [
                "connector_id": .string(id), "config": ["health_check_path": "/healthz"], "upgrade": false,
            ])
        try await check("POST", "/api/v1/connectors/test", 422, body: ["config": [:]])
        try await check(
            "POST", "/api/v1/connectors/test", 422, body: ["connector_id": .string(id), "upgrade": "yes"])
        try await check(
            "POST", "/api/v1/connectors/test", 404, body: ["connector_id": .string(UUID().uuidString)])

        let scheduled = try await check(
            "PUT", "/api/v1/connectors/\(id)/health-check", 200, pattern: one + "/health-check",
            body: ["interval_minutes": 15])
        XCTAssertEqual(scheduled["health_check"]?["interval_minutes"], 15)
        try await check(
            "PUT", "/api/v1/connectors/\(id)/health-check", 422, pattern: one + "/health-check",
            body: ["interval_minutes": 0])
        XCTAssertEqual(checked, 12)
    }

    func testAttachmentsMatchTheirSchemas() async throws {
        let tenant = try await app.fixtures.tenant("agents", name: "Agents Ltd")
        token = try await app.fixtures.token(in: tenant, role: .owner).secret
        let draft = ConnectorFixtures.postgres("Reporting DB")
        let connector = try await check(
            "POST", "/api/v1/connectors", 201,
            body: [
                "catalog_key": .string(draft.catalogKey), "name": .string(draft.name),
                "config": .object(draft.config), "auth": .object(draft.auth),
            ])
        let id = try XCTUnwrap(connector["id"]?.string)
        let attach = "/api/v1/connectors/{id}/attach"
        let input: JSON = [
            "agent_id": "support-bot", "alias": "reports", "config_override": ["statement_timeout_ms": 1000],
        ]
        let attached = try await check(
            "POST", "/api/v1/connectors/\(id)/attach", 201, pattern: attach, body: input)
        XCTAssertEqual(attached["config"]?["statement_timeout_ms"], 1000)
        XCTAssertEqual(attached["auth"]?["password"]?["set"], true)
        try await check(
            "POST", "/api/v1/connectors/\(id)/attach", 409, pattern: attach,
            body: ["agent_id": "support-bot", "alias": "REPORTS"])
        let refused: JSON = ["agent_id": "bad agent!", "alias": " "]
        try await check("POST", "/api/v1/connectors/\(id)/attach", 422, pattern: attach, body: refused)
        XCTAssertFalse(try requestSchemaAccepts("POST", attach, refused), "the schema refuses it too")

        let agent = "/api/v1/agents/{agent_id}/connectors"
        let listed = try await check("GET", "/api/v1/agents/support-bot/connectors", 200, pattern: agent)
        XCTAssertEqual(listed["items"]?.array?.count, 1)
        try await check("GET", "/api/v1/agents/bad!agent/connectors", 422, pattern: agent)

        let instance = try XCTUnwrap(attached["instance_id"]?.string)
        let detach = "/api/v1/connectors/instances/{instance_id}"
        try await check("DELETE", "/api/v1/connectors/instances/\(instance)", 204, pattern: detach)
        try await check("DELETE", "/api/v1/connectors/instances/\(instance)", 404, pattern: detach)

        // A token for the agent: its role may be left out (it is a viewer token).
        let bound = try await check(
            "POST", "/api/v1/tokens", 201, body: ["name": "support agent", "agent_id": "support-bot"])
        XCTAssertEqual(bound["token"]?["agent_id"], "support-bot")
        XCTAssertEqual(bound["token"]?["role"], "viewer")
        XCTAssertFalse(try requestSchemaAccepts("POST", "/api/v1/tokens", ["name": "no role"]))
        XCTAssertEqual(checked, 9)
    }

    func testQueriesMatchTheirSchemas() async throws {
        let target = try await QueryTarget.create()
        addTeardownBlock { await target.drop() }
        let tenant = try await app.fixtures.tenant("queries", name: "Queries Ltd")
        token = try await app.fixtures.token(in: tenant, role: .owner).secret
        let config: JSONObject = [
            "host": .string(target.host), "port": .int(Int64(target.port)),
            "database": .string(target.database), "user": .string(target.role), "sslmode": "disable",
        ]
        let reporting = try await install("postgresql", "Reporting", config: config, active: true)
        let query = "/api/v1/connectors/{id}/query"
        let result = try await check(
            "POST", "/api/v1/connectors/\(reporting)/query", 200, pattern: query,
            body: [
                "sql": "SELECT id, name, price, data FROM items WHERE id <= $1 ORDER BY id", "params": [2],
            ])
        XCTAssertEqual(result["row_count"], 2)
        XCTAssertEqual(result["rows"]?[1], [2, "item-2", "2.50", ["n": 2, "even": true]])
        try await check(
            "POST", "/api/v1/connectors/\(reporting)/query", 422, pattern: query,
            body: ["sql": "SELECT nothing FROM nowhere"])

        let sleeping = try await install("postgresql", "Sleeping", config: config, active: false)
        try await check(
            "POST", "/api/v1/connectors/\(sleeping)/query", 409, pattern: query, body: ["sql": "SELECT 1"])
        var closed = config
        closed["port"] = 1
        let nowhere = try await install("postgresql", "Nowhere", config: closed, active: true)
        try await check(
            "POST", "/api/v1/connectors/\(nowhere)/query", 503, pattern: query, body: ["sql": "SELECT 1"])
        let shop = try await install(
            "mysql", "Shop DB", config: ["host": "127.0.0.1", "database": "shop", "user": "shop"],
            active: true)
        try await check(
            "POST", "/api/v1/connectors/\(shop)/query", 501, pattern: query, body: ["sql": "SELECT 1"])
        XCTAssertEqual(checked, 5)
    }

    /// Installs through the API (not counted as a check) and returns the connector's id.
    private func install(_ key: String, _ name: String, config: JSONObject, active: Bool) async throws
        -> String
    {
        let headers = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        let body: JSON = [
            "catalog_key": .string(key), "name": .string(name), "config": .object(config),
            "auth": ["password": "not-needed-by-trust-auth"],
        ]
        let created = try await app.client.send(
            "POST", "/api/v1/connectors", headers: headers, body: body.serialized())
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(try created.json()["id"]?.string)
        if active {
            let change: JSON = ["status": "active"]
            let status = try await app.client.send(
                "POST", "/api/v1/connectors/\(id)/status", headers: headers, body: change.serialized())
            XCTAssertEqual(status.status, 200, status.text)
        }
        return id
    }
}
