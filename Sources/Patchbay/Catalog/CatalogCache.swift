import Foundation
import JSON
import Logging
import Postgres
import Synchronization

/// The catalog held in memory: platform entries for everyone, private entries per tenant.
///
/// Any catalog change sends a notification on `CatalogSeeder.channel`; every node listening drops
/// its copy and reloads on the next read. Notifications sent while a node's listening connection was
/// down are lost, so a copy also expires after `maxAge`.
public final class CatalogCache: Sendable {
    struct Snapshot: Sendable {
        let platform: [CatalogEntry]
        let loadedAt: ContinuousClock.Instant
        var privateEntries: [UUID: [CatalogEntry]] = [:]
    }

    private let database: Database
    private let validator: ManifestValidator
    private let maxAge: Duration
    private let logger: Logger
    private let state = Mutex<Snapshot?>(nil)
    /// The load in progress, shared by every reader that finds no fresh snapshot (one query and one
    /// round of manifest compilation, however many requests arrive at once).
    private let loading = Mutex<Task<Snapshot, any Error>?>(nil)
    private let generationCounter = Atomic<Int>(0)
    /// Manifests already checked, by catalog version id. Stored versions never change, so a reload after
    /// one entry changed checks only that entry's new version: the schema check of a whole catalog took
    /// seconds on a loaded machine, and every node pays it after every change.
    private let checked = Mutex<[UUID: ConnectorManifest]>([:])

    public init(
        database: Database, validator: ManifestValidator, maxAge: Duration = .seconds(60), logger: Logger
    ) {
        self.database = database
        self.validator = validator
        self.maxAge = maxAge
        self.logger = logger
    }

    /// Increases on every invalidation; ETags include it.
    public var generation: Int { generationCounter.load(ordering: .relaxed) }

    public func invalidate() {
        state.withLock { $0 = nil }
        generationCounter.add(1, ordering: .relaxed)
    }

    /// Listens for catalog changes until the task is cancelled.
    public func followChanges(pool: PostgresPool) async {
        do {
            let changes = try await pool.listen(CatalogSeeder.channel)
            for await _ in changes {
                logger.debug("catalog changed; dropping the cached copy")
                invalidate()
            }
        } catch {
            logger.warning(
                "cannot listen for catalog changes; relying on expiry", metadata: ["error": "\(error)"])
        }
    }

    /// Platform entries, sorted by name.
    public func platformEntries() async throws -> [CatalogEntry] {
        try await snapshot().platform
    }

    /// Platform entries plus `tenantID`'s private ones, sorted by name.
    public func entries(for tenantID: UUID?) async throws -> [CatalogEntry] {
        let snapshot = try await snapshot()
        guard let tenantID else { return snapshot.platform }
        let own: [CatalogEntry]
        if let cached = snapshot.privateEntries[tenantID] {
            own = cached
        } else {
            own = try await loadPrivate(tenantID)
            state.withLock { $0?.privateEntries[tenantID] = own }
        }
        if own.isEmpty { return snapshot.platform }
        return (snapshot.platform + own).sorted(by: Self.byName)
    }

    /// The snapshot, loaded when there is none (at start, after a change). One past `maxAge` is
    /// still answered while a single reload runs in the background: expiry only guards against a
    /// lost notification, and making every reader wait for the reload would stall them all at once.
    private func snapshot() async throws -> Snapshot {
        if let current = state.withLock({ $0 }) {
            if ContinuousClock.now - current.loadedAt >= maxAge { _ = startLoading() }
            return current
        }
        return try await startLoading().value
    }

    /// The load in progress, else a new one; it clears itself from `loading` when done.
    private func startLoading() -> Task<Snapshot, any Error> {
        loading.withLock { loading in
            if let running = loading { return running }
            let task = Task {
                defer { self.loading.withLock { $0 = nil } }
                do {
                    return try await self.loadSnapshot()
                } catch {
                    self.logger.warning("could not reload the catalog", metadata: ["error": "\(error)"])
                    throw error
                }
            }
            loading = task
            return task
        }
    }

    private func loadSnapshot() async throws -> Snapshot {
        let generation = self.generation
        let platform = try await database.system(readOnly: true) { connection in
            try await self.load(connection, owner: nil)
        }
        let snapshot = Snapshot(platform: platform, loadedAt: .now)
        // Keep it only if nothing changed while it loaded.
        state.withLock { if self.generation == generation { $0 = snapshot } }
        return snapshot
    }

    private func loadPrivate(_ tenantID: UUID) async throws -> [CatalogEntry] {
        try await database.tenant(tenantID, readOnly: true) { connection in
            try await self.load(connection, owner: tenantID)
        }
    }

    private func load(_ connection: PostgresConnection, owner: UUID?) async throws -> [CatalogEntry] {
        let rows = try await connection.query(
            """
            SELECT c.id, c.owner_tenant_id, v.id AS version_id, v.manifest::text AS manifest
            FROM catalog_connectors c JOIN catalog_versions v ON v.id = c.latest_version_id
            WHERE c.owner_tenant_id IS NOT DISTINCT FROM $1
            """, [owner])
        var entries: [CatalogEntry] = []
        for row in rows {
            let versionID: UUID = try row.decode("version_id")
            do {
                let manifest = try checkedManifest(versionID, row)
                entries.append(
                    CatalogEntry(
                        id: try row.decode("id"), manifest: manifest,
                        ownerTenantID: try row.decode("owner_tenant_id"),
                        latestVersionID: versionID))
            } catch {
                logger.error("stored manifest no longer loads", metadata: ["problem": "\(error)"])
            }
        }
        return entries.sorted(by: Self.byName)
    }

    private func checkedManifest(_ versionID: UUID, _ row: PostgresRow) throws -> ConnectorManifest {
        if let known = checked.withLock({ $0[versionID] }) { return known }
        let text: String = try row.decode("manifest")
        let manifest = try validator.manifest(from: Array(text.utf8))
        checked.withLock { $0[versionID] = manifest }
        return manifest
    }

    static func byName(_ lhs: CatalogEntry, _ rhs: CatalogEntry) -> Bool {
        lhs.manifest.name.localizedCaseInsensitiveCompare(rhs.manifest.name) == .orderedAscending
    }
}
