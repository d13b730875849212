import Foundation
import JSON
import Postgres

/// One page of catalog entries.
public struct CatalogPage: Sendable {
    public let entries: [CatalogEntry]
    public let total: Int
    public let limit: Int
    public let offset: Int
}

/// A published version of a catalog entry.
public struct CatalogVersion: Sendable {
    public let version: String
    public let checksum: String
    public let createdAt: Date
    public let isLatest: Bool
}

/// Reading the catalog, adding tenant-private entries and syncing the platform catalog from manifests.
public struct CatalogService: Sendable {
    let database: Database
    public let cache: CatalogCache
    let loader: ManifestLoader

    public init(database: Database, cache: CatalogCache, loader: ManifestLoader) {
        self.database = database
        self.cache = cache
        self.loader = loader
    }

    public var validator: ManifestValidator { loader.validator }

    public func list(tenantID: UUID?, filter: CatalogFilter, limit: Int = 500, offset: Int = 0) async throws
        -> CatalogPage
    {
        let matching = try await cache.entries(for: tenantID).filter(filter.matches)
        let limit = min(max(limit, 1), 500)
        let offset = max(offset, 0)
        let page =
            offset < matching.count ? Array(matching[offset..<min(matching.count, offset + limit)]) : []
        return CatalogPage(entries: page, total: matching.count, limit: limit, offset: offset)
    }

    /// Categories with how many entries each holds, in name order.
    public func categories(tenantID: UUID?) async throws -> [(name: String, count: Int)] {
        var counts: [String: Int] = [:]
        for entry in try await cache.entries(for: tenantID) {
            counts[entry.manifest.category, default: 0] += 1
        }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func entry(tenantID: UUID?, key: String) async throws -> CatalogEntry {
        let entries = try await cache.entries(for: tenantID)
        // A tenant's private entry of the same key hides nothing: keys of the two kinds never clash.
        guard let entry = entries.first(where: { $0.key == key }) else {
            throw AppError.notFound("The connector type \"\(key)\"")
        }
        return entry
    }

    public func versions(tenantID: UUID?, key: String) async throws -> [CatalogVersion] {
        let entry = try await entry(tenantID: tenantID, key: key)
        let query: (PostgresConnection) async throws -> PostgresRows = { connection in
            try await connection.query(
                "SELECT id, version, checksum, created_at FROM catalog_versions WHERE connector_id = $1",
                [entry.id])
        }
        let rows: PostgresRows
        if let tenantID {
            rows = try await database.tenant(tenantID, readOnly: true, query)
        } else {
            rows = try await database.system(readOnly: true, query)
        }
        return try rows.map { row in
            CatalogVersion(
                version: try row.decode("version"), checksum: try row.decode("checksum"),
                createdAt: try row.decode("created_at"),
                isLatest: try row.decode("id") == entry.latestVersionID)
        }.sorted { lhs, rhs in
            guard let left = SemanticVersion(lhs.version), let right = SemanticVersion(rhs.version) else {
                return lhs.version > rhs.version
            }
            return left > right
        }
    }

    /// Kinds with the providers of their entries: `{"database": ["mongodb", "mysql", ...], ...}`.
    public func connectorTypes(tenantID: UUID?) async throws -> [(kind: String, providers: [String])] {
        var providers: [String: Set<String>] = [:]
        for entry in try await cache.entries(for: tenantID) {
            providers[entry.manifest.kind, default: []].insert(entry.manifest.provider)
        }
        return providers.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted()) }
    }

    /// Adds (or publishes a new version of) a tenant-private catalog entry from a manifest.
    /// Returns the entry and whether anything was written.
    public func publishPrivate(tenantID: UUID, manifest json: JSON) async throws -> (
        CatalogEntry, created: Bool
    ) {
        let manifest: ConnectorManifest
        do {
            manifest = try validator.manifest(from: json)
        } catch {
            throw AppError.validation(
                [Self.fieldPath(error.pointer): [error.message]], message: "The manifest is invalid.")
        }
        if try await cache.platformEntries().contains(where: { $0.key == manifest.key }) {
            throw AppError(
                .conflict, "The key \"\(manifest.key)\" belongs to a platform connector; choose another.",
                fields: ["key": ["is taken by a platform connector"]])
        }
        let created = try await database.tenant(tenantID) { connection -> Bool in
            let existing = try await connection.queryFirst(
                """
                SELECT c.id, l.version AS latest,
                       (SELECT checksum FROM catalog_versions WHERE connector_id = c.id AND version = $2) AS same
                FROM catalog_connectors c JOIN catalog_versions l ON l.id = c.latest_version_id
                WHERE c.owner_tenant_id = $1 AND c.key = $3
                """, [tenantID, manifest.version.text, manifest.key])
            guard let existing else {
                try await CatalogStore.insertConnector(manifest, owner: tenantID, connection)
                try await connection.execute(
                    "SELECT pg_notify($1, $2)", [CatalogSeeder.channel, tenantID.uuidString])
                return true
            }
            if let same: String = try existing.decode("same") {
                if same == manifest.checksum { return false }
                throw AppError(
                    .conflict,
                    "Version \(manifest.version) of \"\(manifest.key)\" exists with other content; bump the version.",
                    fields: ["version": ["already exists with other content"]])
            }
            let latest = SemanticVersion(try existing.decode("latest")) ?? manifest.version
            guard manifest.version > latest else {
                throw AppError(
                    .conflict, "Version \(manifest.version) is older than the published \(latest).",
                    fields: ["version": ["must be higher than \(latest)"]])
            }
            try await CatalogStore.addVersion(
                manifest, connectorID: try existing.decode("id"), owner: tenantID, connection)
            try await connection.execute(
                "SELECT pg_notify($1, $2)", [CatalogSeeder.channel, tenantID.uuidString])
            return true
        }
        if created { cache.invalidate() }
        return (try await entry(tenantID: tenantID, key: manifest.key), created)
    }

    /// Syncs the platform catalog from the manifests in `directory`.
    public func syncPlatform(from directory: String, progress: @Sendable (String) -> Void = { _ in })
        async throws
        -> CatalogSyncSummary
    {
        let manifests = try loader.load(directory: directory)
        let summary = try await CatalogSeeder(database: database).sync(manifests, progress: progress)
        if !summary.added.isEmpty || !summary.upgraded.isEmpty { cache.invalidate() }
        return summary
    }

    /// `/config_schema/properties/host` → `config_schema.properties.host`.
    static func fieldPath(_ pointer: String) -> String {
        pointer.split(separator: "/").map(String.init).joined(separator: ".")
    }
}
