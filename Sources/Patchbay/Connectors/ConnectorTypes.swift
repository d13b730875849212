import Foundation
import Postgres
import Synchronization

/// Compiled catalog versions by id. A version never changes once published, so an entry is never
/// stale; only the latest version comes from the catalog cache, the others are loaded on first use.
final class ConnectorTypes: Sendable {
    private let catalog: CatalogService
    private let database: Database
    private let types = Mutex<[UUID: ConnectorType]>([:])

    init(catalog: CatalogService, database: Database) {
        self.catalog = catalog
        self.database = database
    }

    /// The latest version of the catalog entry `key` visible to the tenant, or 404.
    func latest(key: String, tenantID: UUID) async throws -> (CatalogEntry, ConnectorType) {
        let entry = try await catalog.entry(tenantID: tenantID, key: key)
        if let known = types.withLock({ $0[entry.latestVersionID] }) { return (entry, known) }
        return (entry, remember(ConnectorType(versionID: entry.latestVersionID, manifest: entry.manifest)))
    }

    /// The version `id`, which must be visible to the tenant (platform or its own private entry).
    func version(_ id: UUID, tenantID: UUID) async throws -> ConnectorType {
        if let known = types.withLock({ $0[id] }) { return known }
        let text = try await database.tenant(tenantID, readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT manifest::text FROM catalog_versions WHERE id = $1", [id]
            ).map { try $0.decode(0, as: String.self) }
        }
        guard let text else { throw AppError.notFound("The catalog version") }
        do {
            let manifest = try catalog.validator.manifest(from: Array(text.utf8))
            return remember(ConnectorType(versionID: id, manifest: manifest))
        } catch {
            throw AppError(.internal, "The catalog version no longer loads: \(error.description)")
        }
    }

    private func remember(_ type: ConnectorType) -> ConnectorType {
        types.withLock { types in
            if let existing = types[type.versionID] { return existing }
            if types.count >= 4096 { types.removeAll(keepingCapacity: true) }
            types[type.versionID] = type
            return type
        }
    }
}
