import Foundation
import JSON
import Logging
import Patchbay
import Postgres
import TestSupport
import XCTest

/// A workspace with an admin, a developer and a viewer, and a connector service whose outbound policy
/// allows 127.0.0.1 (unless told otherwise), over a fresh database: for connection tests and health
/// checks against servers the tests start themselves.
final class ConnectionTestHarness: Sendable {
    let database: TestEnvironment
    let catalog: CatalogService
    let service: ConnectorService
    let tenant: Tenant
    let admin: Identity
    let developer: Identity
    let viewer: Identity

    static let request = RequestInfo(requestID: "test", ip: "127.0.0.1")
    static let catalogKeys = ["rest", "postgresql", "redis", "webhook"]

    static func start(allow: String = "127.0.0.1") async throws -> ConnectionTestHarness {
        let database = try await TestEnvironment.start()
        let catalog = try await ConnectorFixtures.catalog(database.environment, keys: catalogKeys)
        let fixtures = database.fixtures
        let tenant = try await fixtures.tenant("acme", name: "Acme")
        func member(_ role: Role) async throws -> Identity {
            let user = try await fixtures.member("\(role.rawValue)@acme.test", of: tenant, role: role)
            return try await fixtures.identity(user, in: tenant)
        }
        return ConnectionTestHarness(
            database: database, catalog: catalog,
            service: try node(database, catalog, allow: allow), tenant: tenant,
            admin: try await member(.admin),
            developer: try await member(.developer), viewer: try await member(.viewer))
    }

    private init(
        database: TestEnvironment, catalog: CatalogService, service: ConnectorService, tenant: Tenant,
        admin: Identity, developer: Identity, viewer: Identity
    ) {
        self.database = database
        self.catalog = catalog
        self.service = service
        self.tenant = tenant
        self.admin = admin
        self.developer = developer
        self.viewer = viewer
    }

    /// Another connector service on the same database: another node, or another outbound policy.
    static func node(_ database: TestEnvironment, _ catalog: CatalogService, allow: String) throws
        -> ConnectorService
    {
        var environment = database.environment
        var logger = Logger(label: "test.connection-tests")
        logger.logLevel = .warning
        environment.outbound = try OutboundServices(allowList: allow, logger: logger)
        return ConnectorService(environment: environment, catalog: catalog)
    }

    func node(allow: String = "127.0.0.1") throws -> ConnectorService {
        try Self.node(database, catalog, allow: allow)
    }

    /// A REST connector whose health check GETs `url` + `path` with `Authorization: Bearer <token>`.
    func installREST(_ name: String, url: String, path: String = "/status/200", token: String) async throws
        -> Connector
    {
        try await service.install(
            ConnectorDraft(
                catalogKey: "rest", name: name,
                config: ["base_url": .string(url), "health_check_path": .string(path)],
                auth: ["method": "bearer", "token": .string(token)]),
            admin, request: Self.request)
    }

    func activate(_ connector: Connector) async throws {
        _ = try await service.setStatus(id: connector.id, to: .active, admin, request: Self.request)
    }

    /// Columns of the connector's row as text (NULL as nil), read past row-level security.
    func row(_ id: UUID, _ columns: [String]) async throws -> [String: String?] {
        let list = columns.map { "\($0)::text AS \($0)" }.joined(separator: ", ")
        return try await database.environment.database.system(readOnly: true) { connection in
            guard
                let row = try await connection.queryFirst(
                    "SELECT \(list) FROM connectors WHERE id = $1", [id])
            else { throw HarnessError(description: "the connector \(id) is gone") }
            var values: [String: String?] = [:]
            for column in columns { values[column] = try row.decode(column, as: String?.self) }
            return values
        }
    }

    /// `action details` of the connector's audit events, oldest first.
    func audit(_ id: UUID) async throws -> [String] {
        try await database.fixtures.column(
            "SELECT action || ' ' || actor_label || ' ' || details::text FROM audit_events WHERE target_id = $1 ORDER BY id",
            [id.uuidString.lowercased()]
        ).map { $0 ?? "" }
    }

    /// Makes the connector's scheduled check due now.
    func makeDue(_ id: UUID) async throws {
        _ = try await database.environment.database.system { connection in
            try await connection.execute(
                "UPDATE connectors SET next_health_check_at = now() - interval '1 second' WHERE id = $1", [id]
            )
        }
    }

    func stop() async { await database.stop() }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
}
