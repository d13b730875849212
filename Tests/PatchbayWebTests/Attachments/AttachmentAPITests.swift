import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// Attaching connectors to agents through the API: override rules, aliases (also racing), masking,
/// detaching, roles, other tenants, and the cascade when a connector goes.
final class AttachmentAPITests: XCTestCase {
    private var app: TestApp!
    private var acme: Tenant!
    private var developer: String!
    private var database: Connector!
    private let password = ConnectorFixtures.sentinel()

    override func setUp() async throws {
        app = try await TestApp.start()
        try await ConnectorFixtures.seed(app.app.catalog)
        acme = try await app.fixtures.tenant("acme", name: "Acme")
        developer = try await app.fixtures.token(in: acme, role: .developer, name: "dev-bot").secret
        let owner = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner)
        database = try await app.app.connectors.install(
            ConnectorFixtures.postgres("Reporting DB", password: password),
            try await app.fixtures.identity(owner, in: acme), request: .commandLine)
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private func call(_ token: String, _ method: String, _ path: String, _ body: JSON? = nil) async throws
        -> TestResponse
    {
        var headers = [("Authorization", "Bearer \(token)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await app.client.send(method, path, headers: headers, body: body?.serialized() ?? [])
    }

    private var attachPath: String { "/api/v1/connectors/\(database.id.uuidString.lowercased())/attach" }

    private func attach(
        _ agent: String, _ alias: String, _ override: JSON = [:], token: String? = nil
    ) async throws -> TestResponse {
        try await call(
            token ?? developer, "POST", attachPath,
            ["agent_id": .string(agent), "alias": .string(alias), "config_override": override])
    }

    private func fields(_ response: TestResponse) throws -> JSONObject {
        try response.json()["error"]?["fields"]?.object ?? [:]
    }

    func testOverridesAreCheckedAgainstThePinnedSchema() async throws {
        let wrongType = try await attach("support-bot", "reports", ["connect_timeout": "soon"])
        XCTAssertEqual(wrongType.status, 422)
        XCTAssertEqual(try fields(wrongType)["config_override.connect_timeout"], ["must be a whole number"])

        let tooLow = try await attach("support-bot", "reports", ["statement_timeout_ms": -1])
        XCTAssertEqual(try fields(tooLow)["config_override.statement_timeout_ms"], ["must be at least 0"])

        let secret = try await attach("support-bot", "reports", ["password": "hunter2hunter2"])
        XCTAssertEqual(secret.status, 422)
        XCTAssertEqual(
            try fields(secret)["config_override.password"],
            ["is a credential: credentials stay with the connector and cannot be overridden"])
        XCTAssertFalse(secret.text.contains("hunter2"), "a refused override is not echoed")

        let unknown = try await attach("support-bot", "reports", ["colour": "blue"])
        XCTAssertEqual(unknown.status, 422)
        XCTAssertEqual(
            try fields(unknown)["config_override.colour"], ["is not a setting of PostgreSQL connectors"])

        // Where the credentials go is the connector's to decide, not an agent's.
        let elsewhere = try await attach(
            "support-bot", "reports", ["host": "attacker.example", "sslmode": "disable"])
        XCTAssertEqual(elsewhere.status, 422)
        XCTAssertEqual(Set(try fields(elsewhere).keys), ["config_override.host", "config_override.sslmode"])

        let everything = try await attach("bad agent!", " ", ["password": "x", "user": 7])
        XCTAssertEqual(everything.status, 422)
        XCTAssertEqual(
            Set(try fields(everything).keys), ["agent_id", "alias", "config_override.password"],
            "every problem at once (the merged settings are checked once the keys are acceptable)")

        let accepted = try await attach("support-bot", "reports", ["database": "reports", "schema": "sales"])
        XCTAssertEqual(accepted.status, 201, accepted.text)
        let body = try accepted.json()
        XCTAssertEqual(body["agent_id"], "support-bot")
        XCTAssertEqual(body["alias"], "reports")
        XCTAssertEqual(body["config"]?["database"], "reports")
        XCTAssertEqual(body["config"]?["host"], "db.internal", "the connector's own settings show through")
        XCTAssertEqual(body["config_override"], ["database": "reports", "schema": "sales"])
        XCTAssertEqual(body["connector"]?["id"]?.string, database.id.uuidString.lowercased())
        XCTAssertEqual(body["connector"]?["catalog_key"], "postgresql")
        XCTAssertEqual(body["connector"]?["status"], "inactive")
    }

    func testAliasesAreUniquePerAgentIgnoringCaseAlsoUnderRaces() async throws {
        let observed1 = try await attach("support-bot", "Reports").status
        XCTAssertEqual(observed1, 201)
        let again = try await attach("support-bot", "reports")
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(try fields(again)["alias"], ["is already used by this agent (aliases ignore case)"])
        XCTAssertEqual(try again.json()["error"]?["code"], "conflict")
        let observed2 = try await attach("billing-bot", "reports").status
        XCTAssertEqual(observed2, 201, "another agent may use it")

        let client = app.client
        let (path, token) = (attachPath, developer!)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let body: JSON = ["agent_id": "racer", "alias": index % 2 == 0 ? "Primary" : "primary"]
                    return try await client.send(
                        "POST", path,
                        headers: [
                            ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
                        ],
                        body: body.serialized()
                    ).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses.filter { $0 == 201 }.count, 1, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == 409 }.count, 7, "\(statuses)")
        let rows = try await app.fixtures.column(
            "SELECT alias FROM connector_attachments WHERE agent_id = 'racer'")
        XCTAssertEqual(rows.count, 1)
    }

    func testTheAgentsListShowsEffectiveSettingsAndNeverASecret() async throws {
        let observed3 = try await attach("support-bot", "reports", ["database": "reports"]).status
        XCTAssertEqual(observed3, 201)
        let observed4 = try await attach("support-bot", "archive").status
        XCTAssertEqual(observed4, 201)
        let observed5 = try await attach("other-bot", "main").status
        XCTAssertEqual(observed5, 201)
        let viewer = try await app.fixtures.token(in: acme, role: .viewer, name: "viewer-bot").secret

        let list = try await call(viewer, "GET", "/api/v1/agents/support-bot/connectors")
        XCTAssertEqual(list.status, 200)
        let items = try XCTUnwrap(try list.json()["items"]?.array)
        XCTAssertEqual(items.map { $0["alias"]?.string }, ["archive", "reports"], "alias order")
        XCTAssertEqual(items[0]["config"]?["database"], "app", "no override: the connector's database")
        XCTAssertEqual(items[1]["config"]?["database"], "reports")
        XCTAssertEqual(items[1]["config"]?["port"], 5432)
        let masked = try XCTUnwrap(items[1]["auth"]?["password"])
        XCTAssertEqual(masked["set"], true)
        XCTAssertEqual(masked["secret"], true)
        XCTAssertFalse((masked["fingerprint"]?.string ?? "").isEmpty)
        XCTAssertNil(masked["value"])
        XCTAssertFalse(list.text.contains(password), "the sentinel password never leaves")

        let page = app.session()
        _ = try await app.fixtures.member("dev@acme.test", of: acme, role: .developer)
        _ = try await page.login("dev@acme.test", IdentityFixtures.password)
        let detail = try await page.get(
            "/features/connectors/installed/\(database.id.uuidString.lowercased())")
        XCTAssertEqual(detail.status, 200)
        XCTAssertTrue(detail.text.contains("support-bot"))
        XCTAssertFalse(detail.text.contains(password))

        let nobody = try await call(viewer, "GET", "/api/v1/agents/nobody/connectors")
        XCTAssertEqual(try nobody.json()["items"], [])
        let malformed = try await call(viewer, "GET", "/api/v1/agents/bad%20agent/connectors")
        XCTAssertEqual(malformed.status, 422)
        XCTAssertNotNil(try fields(malformed)["agent_id"])
    }

    func testDetachRemovesTheAttachmentWithAuditEvents() async throws {
        let created = try await attach("support-bot", "reports")
        let instance = try XCTUnwrap(try created.json()["instance_id"]?.string)
        let removed = try await call(developer, "DELETE", "/api/v1/connectors/instances/\(instance)")
        XCTAssertEqual(removed.status, 204)
        let list = try await call(developer, "GET", "/api/v1/agents/support-bot/connectors")
        XCTAssertEqual(try list.json()["items"], [])
        let twice = try await call(developer, "DELETE", "/api/v1/connectors/instances/\(instance)")
        XCTAssertEqual(twice.status, 404)
        let garbage = try await call(developer, "DELETE", "/api/v1/connectors/instances/not-a-uuid")
        XCTAssertEqual(garbage.status, 404)

        let events = try await app.fixtures.column(
            "SELECT action || ' ' || (details->>'agent_id') || ' ' || (details->>'alias') FROM audit_events "
                + "WHERE target_id = $1 AND action LIKE 'connector.%tached' ORDER BY id",
            [database.id.uuidString.lowercased()])
        XCTAssertEqual(
            events, ["connector.attached support-bot reports", "connector.detached support-bot reports"])
    }

    func testViewersCannotAttachOrDetach() async throws {
        let viewer = try await app.fixtures.token(in: acme, role: .viewer, name: "viewer-bot").secret
        let refused = try await attach("support-bot", "reports", token: viewer)
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(try refused.json()["error"]?["code"], "forbidden")
        let created = try await attach("support-bot", "reports")
        let instance = try XCTUnwrap(try created.json()["instance_id"]?.string)
        let observed6 = try await call(viewer, "DELETE", "/api/v1/connectors/instances/\(instance)").status
        XCTAssertEqual(observed6, 403)
        let observed7 = try await call(viewer, "GET", "/api/v1/agents/support-bot/connectors").status
        XCTAssertEqual(observed7, 200)
        let agent = try await app.fixtures.token(
            in: acme, role: .viewer, name: "agent-bot", agentID: "support-bot"
        ).secret
        let observed8 = try await attach("support-bot", "more", token: agent).status
        XCTAssertEqual(observed8, 403, "agents only read")
    }

    func testAnotherTenantSeesNothing() async throws {
        let created = try await attach("support-bot", "reports")
        let instance = try XCTUnwrap(try created.json()["instance_id"]?.string)
        let globex = try await app.fixtures.tenant("globex", name: "Globex")
        let outsider = try await app.fixtures.token(in: globex, role: .owner, name: "globex-bot").secret

        let attachThere = try await attach("support-bot", "stolen", token: outsider)
        XCTAssertEqual(attachThere.status, 404)
        let detachThere = try await call(outsider, "DELETE", "/api/v1/connectors/instances/\(instance)")
        XCTAssertEqual(detachThere.status, 404)
        let list = try await call(outsider, "GET", "/api/v1/agents/support-bot/connectors")
        XCTAssertEqual(try list.json()["items"], [], "the same agent id elsewhere has nothing of Acme's")
        let query = try await call(
            outsider, "POST", "/api/v1/connectors/\(database.id.uuidString.lowercased())/query",
            ["sql": "SELECT 1"])
        XCTAssertEqual(query.status, 404)
        let observed9 = try await call(developer, "GET", "/api/v1/agents/support-bot/connectors").status
        XCTAssertEqual(observed9, 200)
    }

    func testDeletingTheConnectorDeletesItsAttachments() async throws {
        let observed10 = try await attach("support-bot", "reports").status
        XCTAssertEqual(observed10, 201)
        let observed11 = try await attach("other-bot", "reports").status
        XCTAssertEqual(observed11, 201)
        let admin = try await app.fixtures.token(in: acme, role: .admin, name: "admin-bot").secret
        let deleted = try await call(
            admin, "DELETE", "/api/v1/connectors/\(database.id.uuidString.lowercased())")
        XCTAssertEqual(deleted.status, 204)
        let observed12 = try await app.fixtures.column("SELECT id::text FROM connector_attachments")
        XCTAssertEqual(observed12, [])
        let list = try await call(developer, "GET", "/api/v1/agents/support-bot/connectors")
        XCTAssertEqual(try list.json()["items"], [])
    }
}
