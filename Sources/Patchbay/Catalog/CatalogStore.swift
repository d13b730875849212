import Foundation
import JSON
import Postgres

/// SQL for the catalog tables. Callers choose the scope (system for the platform catalog, tenant for
/// private entries) by the connection they pass.
enum CatalogStore {
    static func platformVersions(_ connection: PostgresConnection) async throws -> [String:
        StoredConnectorVersions]
    {
        let rows = try await connection.query(
            """
            SELECT c.id, c.key, l.version AS latest, v.version, v.checksum
            FROM catalog_connectors c
            LEFT JOIN catalog_versions l ON l.id = c.latest_version_id
            JOIN catalog_versions v ON v.connector_id = c.id
            WHERE c.owner_tenant_id IS NULL
            """)
        var result: [String: StoredConnectorVersions] = [:]
        for row in rows {
            let key: String = try row.decode("key")
            guard let version = SemanticVersion(try row.decode("version")) else { continue }
            let latest = (try row.decode("latest", as: String?.self)).flatMap(SemanticVersion.init)
            let connectorID: UUID = try row.decode("id")
            var entry =
                result[key]
                ?? StoredConnectorVersions(connectorID: connectorID, latest: latest, checksums: [:])
            entry.checksums[version] = try row.decode("checksum")
            result[key] = entry
        }
        return result
    }

    /// Adds a connector with its first version; `owner` nil makes it a platform entry.
    @discardableResult
    static func insertConnector(_ manifest: ConnectorManifest, owner: UUID?, _ connection: PostgresConnection)
        async throws -> UUID
    {
        let row = try await connection.queryFirst(
            """
            INSERT INTO catalog_connectors
                (key, owner_tenant_id, name, description, category, kind, provider, icon, auth_type, status,
                 docs_url, capabilities, tags)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            RETURNING id
            """,
            [
                manifest.key, owner, manifest.name, manifest.description, manifest.category, manifest.kind,
                manifest.provider, manifest.icon, manifest.authType, manifest.status, manifest.docsURL,
                manifest.capabilities, manifest.tags,
            ])
        let id: UUID = try row!.decode("id")
        try await addVersion(manifest, connectorID: id, owner: owner, connection)
        return id
    }

    /// Publishes a new version and points the connector (and its descriptive columns) at it.
    static func addVersion(
        _ manifest: ConnectorManifest, connectorID: UUID, owner: UUID?, _ connection: PostgresConnection
    ) async throws {
        let version = try await connection.queryFirst(
            """
            INSERT INTO catalog_versions
                (connector_id, owner_tenant_id, version, manifest, config_schema, auth_schema, capabilities, checksum)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            RETURNING id
            """,
            [
                connectorID, owner, manifest.version.text, PostgresJSON(manifest.json.serializedString()),
                PostgresJSON(manifest.configSchemaJSON.serializedString()),
                PostgresJSON(manifest.authSchemaJSON.serializedString()), manifest.capabilities,
                manifest.checksum,
            ])
        let versionID: UUID = try version!.decode("id")
        try await connection.execute(
            """
            UPDATE catalog_connectors
            SET latest_version_id = $2, name = $3, description = $4, category = $5, kind = $6, provider = $7,
                icon = $8, auth_type = $9, status = $10, docs_url = $11, capabilities = $12, tags = $13,
                updated_at = now()
            WHERE id = $1
            """,
            [
                connectorID, versionID, manifest.name, manifest.description, manifest.category, manifest.kind,
                manifest.provider, manifest.icon, manifest.authType, manifest.status, manifest.docsURL,
                manifest.capabilities, manifest.tags,
            ])
    }
}
