import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// `POST /api/v1/connectors/{id}/query` against a database of its own on the test cluster: typed rows,
/// read-only, timeouts, the row cap, connector kinds and status, and agents' tokens.
final class QueryAPITests: XCTestCase {
    private var app: TestApp!
    private var target: QueryTarget!
    private var acme: Tenant!
    private var owner: Identity!
    private var developer: String!
    private let password = ConnectorFixtures.sentinel()

    override func setUp() async throws {
        target = try await QueryTarget.create()
        app = try await TestApp.start(
            outboundAllow: "127.0.0.1", queries: QuerySettings(timeout: .seconds(5), maxRows: 1000))
        try await ConnectorFixtures.seed(app.app.catalog, keys: ConnectorFixtures.seedKeys + ["mysql"])
        acme = try await app.fixtures.tenant("acme", name: "Acme")
        let user = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner)
        owner = try await app.fixtures.identity(user, in: acme)
        developer = try await app.fixtures.token(in: acme, role: .developer, name: "dev-bot").secret
    }

    override func tearDown() async throws {
        await app?.stop()
        await target?.drop()
    }

    /// A PostgreSQL connector for the target database, active unless asked otherwise.
    private func install(_ name: String, active: Bool = true, config extra: JSONObject = [:]) async throws
        -> String
    {
        var config: JSONObject = [
            "host": .string(target.host), "port": .int(Int64(target.port)),
            "database": .string(target.database),
            "user": .string(target.role), "sslmode": "disable",
        ]
        for (key, value) in extra { config[key] = value }
        let connector = try await app.app.connectors.install(
            ConnectorDraft(
                catalogKey: "postgresql", name: name, config: config, auth: ["password": .string(password)]),
            owner, request: .commandLine)
        if active {
            _ = try await app.app.connectors.setStatus(
                id: connector.id, to: .active, owner, request: .commandLine)
        }
        return connector.id.uuidString.lowercased()
    }

    private func query(_ id: String, _ body: JSON, token: String? = nil) async throws -> TestResponse {
        try await app.client.send(
            "POST", "/api/v1/connectors/\(id)/query",
            headers: [
                ("Authorization", "Bearer \(token ?? developer!)"), ("Content-Type", "application/json"),
            ],
            body: body.serialized())
    }

    private func assertNoSecret(_ response: TestResponse, file: StaticString = #filePath, line: UInt = #line)
    {
        XCTAssertFalse(response.text.contains(password), "the password leaked", file: file, line: line)
    }

    func testSelectWithParametersReturnsTypedRows() async throws {
        let id = try await install("Reporting")
        let response = try await query(
            id,
            [
                "sql": .string(
                    "SELECT id, name, price, ratio, active, data, created, tags, NULL::text AS missing "
                        + "FROM items WHERE id <= $1 AND name LIKE $2 ORDER BY id"),
                "params": [3, "item-%"],
            ])
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        XCTAssertEqual(
            body["columns"]?.array?.compactMap { $0["name"]?.string },
            ["id", "name", "price", "ratio", "active", "data", "created", "tags", "missing"])
        XCTAssertEqual(
            body["columns"]?.array?.compactMap { $0["type"]?.string },
            ["int4", "text", "numeric", "float8", "bool", "jsonb", "date", "_text", "text"])
        let second: JSON = [
            2, "item-2", "2.50", 0.5, true, ["n": 2, "even": true], "2024-01-03", "{t2}", nil,
        ]
        XCTAssertEqual(body["rows"]?[1], second)
        XCTAssertEqual(body["row_count"], 3)
        XCTAssertEqual(body["truncated"], false)
        XCTAssertNotNil(body["duration_ms"]?.int)
        assertNoSecret(response)

        let null = try await query(id, ["sql": "SELECT $1::int IS NULL AS absent", "params": [nil]])
        XCTAssertEqual(try null.json()["rows"], [[true]])
        let empty = try await query(id, ["sql": "SELECT id FROM items WHERE id < 0"])
        XCTAssertEqual(try empty.json()["columns"], [["name": "id", "type": "int4"]])
        XCTAssertEqual(try empty.json()["row_count"], 0)
    }

    func testWritesAreRefusedAsReadOnly() async throws {
        let id = try await install("Reporting")
        for sql in ["INSERT INTO items (id) VALUES (9999)", "UPDATE items SET name = 'x' WHERE id = 1"] {
            let response = try await query(id, ["sql": .string(sql)])
            XCTAssertEqual(response.status, 422, sql)
            let error = try response.json()["error"]
            XCTAssertTrue(
                error?["message"]?.string?.hasPrefix("Queries run in a read-only transaction: cannot execute")
                    == true,
                response.text)
            XCTAssertTrue(error?["fields"]?["sql"]?[0]?.string?.hasSuffix("(SQLSTATE 25006)") == true)
        }
        let two = try await query(id, ["sql": "SELECT 1; DELETE FROM items"])
        XCTAssertEqual(two.status, 422)
        XCTAssertTrue(two.text.contains("cannot insert multiple commands"), two.text)
        let count = try await query(id, ["sql": "SELECT count(*) FROM items WHERE name = 'x' OR id = 9999"])
        XCTAssertEqual(try count.json()["rows"], [[0]], "nothing was written")
        let bad = try await query(id, ["sql": "SELECT $1::int", "params": ["twelve"]])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.text.contains("invalid input syntax for type integer"), bad.text)
    }

    func testAStatementTimeoutStopsASlowQuery() async throws {
        let id = try await install("Reporting")
        let clock = ContinuousClock()
        let started = clock.now
        let slow = try await query(id, ["sql": "SELECT pg_sleep(10)", "timeout_ms": 400])
        XCTAssertEqual(slow.status, 422)
        XCTAssertEqual(
            try slow.json()["error"]?["message"],
            "The query ran longer than 0.4 s and was cancelled (statement timeout).")
        XCTAssertLessThan(clock.now - started, .seconds(4))
        let tooLong = try await query(id, ["sql": "SELECT 1", "timeout_ms": 60000])
        XCTAssertEqual(tooLong.status, 422)
        XCTAssertEqual(
            try tooLong.json()["error"]?["fields"]?["timeout_ms"], ["must be from 1 to 5000 milliseconds"])
        // The connector's own statement timeout, when lower, wins over the default.
        let strict = try await install("Strict", config: ["statement_timeout_ms": 300])
        let capped = try await query(strict, ["sql": "SELECT pg_sleep(3)"])
        XCTAssertEqual(capped.status, 422)
        XCTAssertTrue(capped.text.contains("longer than 0.3 s"), capped.text)
    }

    func testTheRowCapTruncates() async throws {
        let id = try await install("Reporting")
        let all = try await query(id, ["sql": "SELECT id FROM items ORDER BY id"])
        XCTAssertEqual(all.status, 200)
        XCTAssertEqual(try all.json()["row_count"], 1000)
        XCTAssertEqual(try all.json()["truncated"], true)
        XCTAssertEqual(try all.json()["rows"]?[999], [1000])
        let few = try await query(id, ["sql": "SELECT id FROM items ORDER BY id", "max_rows": 5])
        XCTAssertEqual(try few.json()["rows"], [[1], [2], [3], [4], [5]])
        XCTAssertEqual(try few.json()["truncated"], true)
        let fits = try await query(id, ["sql": "SELECT id FROM items WHERE id <= 5", "max_rows": 5])
        XCTAssertEqual(try fits.json()["truncated"], false)
        let over = try await query(id, ["sql": "SELECT 1", "max_rows": 5000])
        XCTAssertEqual(try over.json()["error"]?["fields"]?["max_rows"], ["must be from 1 to 1000"])
    }

    func testOnlyActivePostgreSQLConnectorsRunQueries() async throws {
        let inactive = try await install("Sleeping", active: false)
        let conflict = try await query(inactive, ["sql": "SELECT 1"])
        XCTAssertEqual(conflict.status, 409)
        XCTAssertEqual(
            try conflict.json()["error"]?["message"],
            "Sleeping is inactive: activate it before running queries.")

        let mysql = try await app.app.connectors.install(
            ConnectorDraft(
                catalogKey: "mysql", name: "Shop DB",
                config: ["host": "db.internal", "database": "shop", "user": "shop"], auth: ["password": "x"]),
            owner, request: .commandLine)
        let unsupported = try await query(mysql.id.uuidString.lowercased(), ["sql": "SELECT 1"])
        XCTAssertEqual(unsupported.status, 501)
        XCTAssertEqual(try unsupported.json()["error"]?["code"], "not_implemented")
        XCTAssertTrue(unsupported.text.contains("Queries on MySQL connectors are not supported yet"))

        let ai = try await app.app.connectors.install(
            ConnectorFixtures.openAI("Assistant"), owner, request: .commandLine)
        let notADatabase = try await query(ai.id.uuidString.lowercased(), ["sql": "SELECT 1"])
        XCTAssertEqual(notADatabase.status, 422)
        XCTAssertTrue(notADatabase.text.contains("only database connectors run queries"), notADatabase.text)

        let nowhere = try await install("Nowhere", config: ["port": 1])
        let refused = try await query(nowhere, ["sql": "SELECT 1"])
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertTrue(refused.text.contains("Connection refused by 127.0.0.1 port 1"), refused.text)
        assertNoSecret(refused)

        let viewer = try await app.fixtures.token(in: acme, role: .viewer, name: "viewer-bot").secret
        let active = try await install("Reporting")
        let observed1 = try await query(active, ["sql": "SELECT 1"], token: viewer).status
        XCTAssertEqual(observed1, 403)
    }

    func testAgentTokensQueryOnlyWhatIsAttachedToTheirAgent() async throws {
        let reporting = try await install("Reporting")
        let other = try await install("Other")
        let agent = try await app.fixtures.token(
            in: acme, role: .viewer, name: "support-agent", agentID: "support-bot"
        ).secret
        let stranger = try await app.fixtures.token(
            in: acme, role: .viewer, name: "billing-agent", agentID: "billing-bot"
        ).secret

        let before = try await query(reporting, ["sql": "SELECT 1"], token: agent)
        XCTAssertEqual(before.status, 403)
        XCTAssertEqual(
            try before.json()["error"]?["message"],
            "This token's agent (support-bot) has no attachment of this connector.")

        _ = try await app.app.attachments.attach(
            connectorID: UUID(uuidString: reporting)!,
            AttachmentDraft(
                agentID: "support-bot", alias: "reports",
                configOverride: ["application_name": "support-bot", "schema": "sales"]),
            owner, request: .commandLine)
        let mine = try await query(
            reporting, ["sql": "SELECT current_setting('application_name'), (SELECT id FROM orders)"],
            token: agent)
        XCTAssertEqual(mine.status, 200, mine.text)
        XCTAssertEqual(try mine.json()["rows"], [["support-bot", 7]], "the attachment's settings apply")
        assertNoSecret(mine)

        let observed2 = try await query(other, ["sql": "SELECT 1"], token: agent).status
        XCTAssertEqual(observed2, 403)
        let observed3 = try await query(reporting, ["sql": "SELECT 1"], token: stranger).status
        XCTAssertEqual(observed3, 403)
        let wrongAlias = try await query(reporting, ["sql": "SELECT 1", "alias": "archive"], token: agent)
        XCTAssertEqual(wrongAlias.status, 403)
        let byAlias = try await query(reporting, ["sql": "SELECT 1", "alias": "REPORTS"], token: agent)
        XCTAssertEqual(byAlias.status, 200)

        // Beyond queries, an agent's token only reads.
        let headers = [("Authorization", "Bearer \(agent)"), ("Content-Type", "application/json")]
        let list = try await app.client.send("GET", "/api/v1/agents/support-bot/connectors", headers: headers)
        XCTAssertEqual(list.status, 200)
        let activate = try await app.client.send(
            "POST", "/api/v1/connectors/\(other)/status", headers: headers,
            body: JSON.object(["status": "inactive"]).serialized())
        XCTAssertEqual(activate.status, 403)
        let token = try await app.client.send(
            "POST", "/api/v1/tokens", headers: headers, body: JSON.object(["name": "more"]).serialized())
        XCTAssertEqual(token.status, 403)
        // Developers need no attachment, and may not pick one.
        let observed4 = try await query(other, ["sql": "SELECT 1"]).status
        XCTAssertEqual(observed4, 200)
        let observed5 = try await query(other, ["sql": "SELECT 1", "alias": "reports"]).status
        XCTAssertEqual(observed5, 422)
    }

    func testAgentTokensAreViewerTokens() async throws {
        let admin = try await app.fixtures.token(in: acme, role: .admin, name: "admin-bot").secret
        let headers = [("Authorization", "Bearer \(admin)"), ("Content-Type", "application/json")]
        let created = try await app.client.send(
            "POST", "/api/v1/tokens", headers: headers,
            body: JSON.object(["name": "agent", "agent_id": "support-bot"]).serialized())
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(try created.json()["token"]?["role"], "viewer")
        XCTAssertEqual(try created.json()["token"]?["agent_id"], "support-bot")
        let developerAgent = try await app.client.send(
            "POST", "/api/v1/tokens", headers: headers,
            body: JSON.object(["name": "agent", "agent_id": "support-bot", "role": "developer"]).serialized())
        XCTAssertEqual(developerAgent.status, 422)
        XCTAssertNotNil(try developerAgent.json()["error"]?["fields"]?["role"])
        let malformed = try await app.client.send(
            "POST", "/api/v1/tokens", headers: headers,
            body: JSON.object(["name": "agent", "agent_id": "no spaces please"]).serialized())
        XCTAssertEqual(
            try malformed.json()["error"]?["fields"]?["agent_id"],
            [
                "must be 1 to 128 letters, digits, dots, underscores, colons or dashes"
            ])
        let secret = try XCTUnwrap(try created.json()["secret"]?.string)
        let me = try await app.client.send(
            "GET", "/api/v1/me", headers: [("Authorization", "Bearer \(secret)")])
        let permissions = try me.json()["permissions"]?.array?.compactMap(\.string) ?? []
        XCTAssertTrue(permissions.contains("connector.query"))
        XCTAssertFalse(permissions.contains("connector.attach"))
    }
}
