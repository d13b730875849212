import Foundation
import Patchbay
import Postgres
import TestSupport
import XCTest

/// The second wall: PostgreSQL itself keeps tenants apart, even for a query that forgets its filter.
/// Runs through the role the app connects as (the tests' pool), never a superuser.
final class RowLevelSecurityTests: XCTestCase {
    private var harness: TestEnvironment!
    private var database: Database { harness.environment.database }

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    /// Tables holding tenant data: every table with a `tenant_id` column (later migrations follow the
    /// convention), plus tenants and users themselves.
    private func tenantTables() async throws -> [String] {
        let rows = try await harness.database.pool.query(
            """
            SELECT DISTINCT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY 1
            """)
        return ["tenants", "users"] + (try rows.map { try $0.decode(0, as: String.self) })
    }

    private var catalog: CatalogService?

    /// One tenant's worth of everything: members, a session, a token, an invite, data keys, audit rows,
    /// an installed connector and its attachment to an agent.
    private func populate(_ slug: String) async throws -> (tenant: Tenant, users: Set<UUID>) {
        let fixtures = harness.fixtures
        let tenant = try await fixtures.tenant(slug, name: slug.uppercased())
        let owner = try await fixtures.member("owner@\(slug).test", of: tenant, role: .owner)
        let viewer = try await fixtures.member("viewer@\(slug).test", of: tenant, role: .viewer)
        let ownerIdentity = try await fixtures.identity(owner, in: tenant)
        _ = try await fixtures.session(for: viewer, in: tenant)
        _ = try await APITokenService(environment: harness.environment).create(
            name: "\(slug) bot", role: .viewer, expiresInDays: nil, by: ownerIdentity, request: .commandLine)
        _ = try await InviteService(environment: harness.environment).create(
            role: .viewer, expiresInDays: nil, ownerIdentity, request: .commandLine)
        if catalog == nil {
            catalog = try await ConnectorFixtures.catalog(harness.environment, keys: ["openai"])
        }
        let connectors = ConnectorService(environment: harness.environment, catalog: catalog!)
        let installed = try await connectors.install(
            ConnectorFixtures.openAI("\(slug) assistant"), ownerIdentity, request: .commandLine)
        let draft = AttachmentDraft(agentID: "\(slug)-agent", alias: "assistant")
        _ = try await AttachmentService(connectors: connectors).attach(
            connectorID: installed.id, draft, ownerIdentity, request: .commandLine)
        _ = try await ExecutionStore(database: harness.environment.database, tenantID: tenant.id).start(
            connectorID: installed.id, input: [:],
            createdBy: ExecutionCreator(userID: owner.id, name: "owner"))
        return (tenant, [owner.id, viewer.id])
    }

    func testTheAppRoleDoesNotBypassRowLevelSecurity() async throws {
        let warning = try await database.rowSecurityWarning()
        XCTAssertNil(warning, "the test role must be an ordinary role, or this suite proves nothing")
        for table in try await tenantTables() {
            let row = try await harness.database.pool.queryFirst(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = $1 AND relkind = 'r'",
                [table])
            XCTAssertEqual(try row?.decode(0, as: Bool.self), true, "\(table): ROW LEVEL SECURITY enabled")
            XCTAssertEqual(try row?.decode(1, as: Bool.self), true, "\(table): FORCE ROW LEVEL SECURITY")
        }
    }

    func testAnUnfilteredSelectInsideATenantScopeSeesOnlyThatTenant() async throws {
        let (a, aUsers) = try await populate("alpha")
        let (b, bUsers) = try await populate("bravo")
        let tables = try await tenantTables()
        XCTAssertTrue(
            tables.contains("api_tokens") && tables.contains("audit_events") && tables.contains("memberships")
        )

        for (tenant, own, other) in [(a, aUsers, bUsers), (b, bUsers, aUsers)] {
            for table in tables {
                // Deliberately no WHERE clause: only the policy stands between the query and other tenants.
                let rows = try await database.tenant(tenant.id, readOnly: true) { connection in
                    try await connection.query("SELECT * FROM \(table)")
                }
                let allRows = try await database.system(readOnly: true) { connection in
                    try await connection.query("SELECT count(*) FROM \(table)")
                }
                let total = try allRows.first!.decode(0, as: Int.self)
                switch table {
                case "tenants":
                    XCTAssertEqual(try rows.map { try $0.decode("id", as: UUID.self) }, [tenant.id])
                case "users":
                    let ids = Set(try rows.map { try $0.decode("id", as: UUID.self) })
                    XCTAssertEqual(ids, own, "a tenant sees only its own members' accounts")
                    XCTAssertTrue(ids.isDisjoint(with: other))
                case "sessions":
                    XCTAssertEqual(rows.count, 0, "sessions are for system scope only")
                default:
                    let owners = Set(try rows.map { try $0.decode("tenant_id", as: UUID?.self) })
                    XCTAssertEqual(
                        owners.subtracting([tenant.id]), [], "\(table) leaked another tenant's rows")
                }
                if table != "sessions" {
                    XCTAssertGreaterThan(rows.count, 0, "\(table) has rows of \(tenant.slug)")
                    XCTAssertLessThan(rows.count, total, "\(table) has rows of both tenants")
                }
            }
        }
    }

    func testOutsideAnyScopeNoTenantRowIsVisible() async throws {
        _ = try await populate("alpha")
        _ = try await populate("bravo")
        for table in try await tenantTables() {
            let count = try await harness.database.pool.query("SELECT count(*) FROM \(table)").first!.decode(
                0, as: Int.self)
            XCTAssertEqual(count, 0, "\(table) is visible without a scope")
        }
    }

    func testATenantScopeCannotWriteIntoAnotherTenant() async throws {
        let (a, _) = try await populate("alpha")
        let (b, _) = try await populate("bravo")
        do {
            _ = try await database.tenant(a.id) { connection in
                try await connection.execute(
                    "INSERT INTO api_tokens (tenant_id, name, token_hash, display_prefix, role) VALUES ($1, 'x', 'h', 'pb_', 'owner')",
                    [b.id])
            }
            XCTFail("a row for another tenant must be refused")
        } catch let error as PostgresError {
            XCTAssertEqual(error.sqlState, "42501", "row-level security violation")
        }
        let changed = try await database.tenant(a.id) { connection in
            try await connection.execute(
                "UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1", [b.id])
        }
        XCTAssertEqual(changed, 0)
        let erased = try await database.tenant(a.id) { connection in
            try await connection.execute("DELETE FROM audit_events")
        }
        XCTAssertEqual(erased, 0, "the audit log is append-only, even for its own tenant")
    }
}
