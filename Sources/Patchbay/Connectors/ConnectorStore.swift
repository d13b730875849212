import Foundation
import JSON
import Postgres

/// A connector row with its sealed credentials, as the service works with it.
struct StoredConnector: Sendable {
    var connector: Connector
    var sealedAuth: [UInt8]?
}

/// SQL of the `connectors` table. Every function runs on a connection the caller scoped to the tenant.
enum ConnectorStore {
    private static let select = """
        SELECT c.id, c.tenant_id, c.name, c.status, c.status_message, c.config, c.tags, c.auth_fields,
               c.last_tested_at, c.last_test_result, c.last_test_latency_ms, c.last_error, c.created_at,
               c.created_by_name, c.updated_at, c.updated_by_name, c.row_version,
               k.id AS catalog_id, k.key, k.name AS catalog_name, k.icon, k.category, k.latest_version_id,
               v.id AS version_id, v.version, v.capabilities, l.version AS latest_version,
               c.health_check_minutes, c.next_health_check_at, c.last_health_check_at, c.consecutive_failures
        """
    private static let from = """
        FROM connectors c
        JOIN catalog_connectors k ON k.id = c.catalog_id
        JOIN catalog_versions v ON v.id = c.catalog_version_id
        LEFT JOIN catalog_versions l ON l.id = k.latest_version_id
        """

    /// The connector `id` with its sealed credentials; `lock` holds the row until the transaction ends.
    static func find(_ id: UUID, tenantID: UUID, lock: Bool = false, on connection: PostgresConnection)
        async throws -> StoredConnector?
    {
        let row = try await connection.queryFirst(
            select + ", c.auth_ciphertext " + from + " WHERE c.tenant_id = $1 AND c.id = $2"
                + (lock ? " FOR UPDATE OF c" : ""), [tenantID, id])
        return try row.map {
            StoredConnector(connector: try connector($0), sealedAuth: try $0.decode("auth_ciphertext"))
        }
    }

    /// `find` as a statement for a pipeline, with the row's version (`row_xmin`: the id of the
    /// transaction that last wrote the row, so it changes with every update). Decode with `stored`.
    static func findVersioned(_ id: UUID, tenantID: UUID) -> PostgresStatement {
        PostgresStatement(
            select + ", c.auth_ciphertext, c.xmin::text AS row_xmin " + from
                + " WHERE c.tenant_id = $1 AND c.id = $2",
            [tenantID, id])
    }

    /// A row of `findVersioned`.
    static func stored(_ row: PostgresRow) throws -> StoredConnector {
        StoredConnector(connector: try connector(row), sealedAuth: try row.decode("auth_ciphertext"))
    }

    static func list(_ filter: ConnectorFilter, tenantID: UUID, on connection: PostgresConnection)
        async throws
        -> ConnectorPage
    {
        let words = filter.query.map { $0.lowercased().split(separator: " ").map(String.init) }
        let rows = try await connection.query(
            select + ", count(*) OVER () AS total " + from + """
                 WHERE c.tenant_id = $1
                  AND ($2::text IS NULL OR c.status = $2)
                  AND ($3::text IS NULL OR k.category = $3)
                  AND ($4::text IS NULL OR $4 = ANY (c.tags))
                  AND ($5::text[] IS NULL OR NOT EXISTS (
                      SELECT 1 FROM unnest($5::text[]) AS w (word)
                      WHERE position(w.word IN lower(c.name || ' ' || k.name || ' ' || k.key)) = 0))
                ORDER BY lower(c.name), c.id
                LIMIT $6 OFFSET $7
                """,
            [
                tenantID, filter.status?.rawValue, filter.category, filter.tag, words, filter.limit,
                filter.offset,
            ])
        var total = try rows.first?.decode("total", as: Int.self) ?? 0
        if rows.isEmpty, filter.offset > 0 {
            // Past the last page: the window function saw no row, so count separately.
            total =
                try await connection.queryFirst(
                    "SELECT count(*) FROM connectors WHERE tenant_id = $1", [tenantID]
                )?.decode(0, as: Int.self) ?? 0
        }
        return ConnectorPage(
            connectors: try rows.map(connector), total: total, limit: filter.limit, offset: filter.offset)
    }

    static func facets(tenantID: UUID, on connection: PostgresConnection) async throws -> ConnectorFacets {
        let rows = try await connection.query(
            """
            SELECT c.status, k.category, count(*) AS count
            FROM connectors c JOIN catalog_connectors k ON k.id = c.catalog_id
            WHERE c.tenant_id = $1
            GROUP BY c.status, k.category
            """, [tenantID])
        var facets = ConnectorFacets(total: 0, statusCounts: [:], categories: [])
        var categories: [String: Int] = [:]
        for row in rows {
            let count: Int = try row.decode("count")
            facets.total += count
            if let status = ConnectorStatus(rawValue: try row.decode("status")) {
                facets.statusCounts[status, default: 0] += count
            }
            categories[try row.decode("category"), default: 0] += count
        }
        facets.categories = categories.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return facets
    }

    /// Whether the tenant has any connector at all.
    static func hasAny(tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.queryFirst("SELECT 1 FROM connectors WHERE tenant_id = $1 LIMIT 1", [tenantID])
            != nil
    }

    struct Row: Sendable {
        var id: UUID
        var tenantID: UUID
        var catalogID: UUID
        var versionID: UUID
        var name: String
        var config: JSONObject
        var tags: [String]
        var sealed: AuthVault.Sealed?
        var authFields: JSON
        var actorID: UUID?
        var actorName: String
    }

    static func insert(_ row: Row, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO connectors
                (id, tenant_id, catalog_id, catalog_version_id, name, config, tags, auth_ciphertext,
                 auth_key_version, auth_fields, created_by, created_by_name, updated_by, updated_by_name)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12)
            """,
            [
                row.id, row.tenantID, row.catalogID, row.versionID, row.name,
                PostgresJSON(JSON.object(row.config).serializedString()), row.tags, row.sealed?.bytes,
                row.sealed?.keyVersion, PostgresJSON(row.authFields.serializedString()), row.actorID,
                row.actorName,
            ])
    }

    /// Writes every editable column and bumps `row_version`.
    static func update(_ row: Row, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE connectors
            SET catalog_version_id = $3, name = $4, config = $5, tags = $6, auth_ciphertext = $7,
                auth_key_version = $8, auth_fields = $9, updated_by = $10, updated_by_name = $11,
                updated_at = now(), row_version = row_version + 1
            WHERE tenant_id = $1 AND id = $2
            """,
            [
                row.tenantID, row.id, row.versionID, row.name,
                PostgresJSON(JSON.object(row.config).serializedString()),
                row.tags, row.sealed?.bytes, row.sealed?.keyVersion,
                PostgresJSON(row.authFields.serializedString()),
                row.actorID, row.actorName,
            ])
    }

    static func setStatus(
        _ id: UUID, tenantID: UUID, status: ConnectorStatus, message: String, actorID: UUID?,
        actorName: String,
        on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            UPDATE connectors
            SET status = $3, status_message = $4, updated_by = $5, updated_by_name = $6, updated_at = now(),
                row_version = row_version + 1
            WHERE tenant_id = $1 AND id = $2
            """, [tenantID, id, status.rawValue, message, actorID, actorName])
    }

    static func delete(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "DELETE FROM connectors WHERE tenant_id = $1 AND id = $2", [tenantID, id])
    }

    static func publishTargets(tenantID: UUID, on connection: PostgresConnection) async throws
        -> [PublishTarget]
    {
        try await connection.query(
            """
            SELECT c.id, c.name, k.key, v.capabilities
            FROM connectors c
            JOIN catalog_connectors k ON k.id = c.catalog_id
            JOIN catalog_versions v ON v.id = c.catalog_version_id
            WHERE c.tenant_id = $1 AND c.status = 'active' AND 'publish' = ANY (v.capabilities)
            ORDER BY lower(c.name), c.id
            """, [tenantID]
        ).map { row in
            PublishTarget(
                id: try row.decode("id"), name: try row.decode("name"), catalogKey: try row.decode("key"),
                capabilities: try row.decode("capabilities"))
        }
    }

    private static func connector(_ row: PostgresRow) throws -> Connector {
        let testedAt: Date? = try row.decode("last_tested_at")
        var connector = Connector(
            id: try row.decode("id"), tenantID: try row.decode("tenant_id"),
            catalog: CatalogReference(
                id: try row.decode("catalog_id"), key: try row.decode("key"),
                name: try row.decode("catalog_name"),
                icon: try row.decode("icon"), category: try row.decode("category"),
                versionID: try row.decode("version_id"), version: try row.decode("version"),
                capabilities: try row.decode("capabilities"),
                latestVersionID: try row.decode("latest_version_id"),
                latestVersion: try row.decode("latest_version", as: String?.self) ?? ""),
            name: try row.decode("name"),
            status: ConnectorStatus(rawValue: try row.decode("status")) ?? .inactive,
            statusMessage: try row.decode("status_message"),
            config: try json(row, "config").object ?? [:],
            tags: try row.decode("tags"),
            authFields: AuthFields.decode(try json(row, "auth_fields")),
            lastTest: try testedAt.map { date in
                ConnectorTestResult(
                    testedAt: date,
                    succeeded: try row.decode("last_test_result", as: String?.self) == "success",
                    latencyMilliseconds: try row.decode("last_test_latency_ms"),
                    error: try row.decode("last_error"))
            },
            createdAt: try row.decode("created_at"), createdBy: try row.decode("created_by_name"),
            updatedAt: try row.decode("updated_at"), updatedBy: try row.decode("updated_by_name"),
            rowVersion: try row.decode("row_version"))
        connector.healthCheck = try HealthCheckState(row)
        return connector
    }

    private static func json(_ row: PostgresRow, _ column: String) throws -> JSON {
        (try? JSON(parsing: try row.decode(column, as: [UInt8].self))) ?? .object([:])
    }
}
