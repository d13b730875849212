import Foundation
import Logging
import Postgres
import Synchronization

/// Recently read pages of each tenant's Installed list, so the tab and `GET /api/v1/installed` do not
/// query and decode the same rows on every request.
///
/// Every change to a tenant's connectors bumps that tenant's generation on this node and sends a
/// notification on `channel` in the same transaction, so every other node listening bumps it too once
/// the change commits. A page read while a change commits is kept only if the generation did not
/// move meanwhile, and no page is served older than `maxAge` (a notification missed while a node's
/// listening connection was down), give or take one refresh: the first reader of a page past
/// `maxAge` reads it again, and the others get the old copy meanwhile, for at most
/// `refreshGrace`, instead of all reading the same rows at once.
public final class ConnectorListCache: Sendable {
    public static let channel = "connectors_changed"

    private struct Key: Hashable {
        var tenantID: UUID
        var filter: ConnectorFilter
    }

    /// Where a tenant's data stood: its own changes, and changes to the whole catalog.
    struct Generation: Hashable, Sendable {
        var epoch = 0
        var tenant = 0
    }

    private struct Entry {
        var listing: ConnectorListing
        var generation: Generation
        var storedAt: ContinuousClock.Instant
        /// When a reader set out to read this expired page again.
        var refreshing: ContinuousClock.Instant?
    }

    private struct State {
        var epoch = 0
        var generations: [UUID: Int] = [:]
        var entries: [Key: Entry] = [:]

        func generation(_ tenantID: UUID) -> Generation {
            Generation(epoch: epoch, tenant: generations[tenantID] ?? 0)
        }
    }

    private let state = Mutex(State())
    private let stamps = Atomic<UInt64>(0)
    private let maxAge: Duration
    private let capacity: Int

    /// How long an expired page may still be served while one reader reads it again.
    private let refreshGrace: Duration

    public init(maxAge: Duration = .seconds(30), capacity: Int = 4096, refreshGrace: Duration = .seconds(5)) {
        self.maxAge = maxAge
        self.capacity = capacity
        self.refreshGrace = refreshGrace
    }

    /// The tenant's current generation, taken before a read so its result can be stored safely.
    func generation(_ tenantID: UUID) -> Generation {
        state.withLock { $0.generation(tenantID) }
    }

    /// The kept page, if the tenant has not changed since and it is recent; nil tells the caller to
    /// read it (and `store` it). Past `maxAge`, the first caller gets nil and the others the old
    /// page, until that caller stores a new one or `refreshGrace` runs out.
    func lookup(_ tenantID: UUID, _ filter: ConnectorFilter) -> ConnectorListing? {
        let key = Key(tenantID: tenantID, filter: filter)
        return state.withLock { state in
            guard let entry = state.entries[key], entry.generation == state.generation(tenantID) else {
                return nil
            }
            let now = ContinuousClock.now
            if now - entry.storedAt < maxAge { return entry.listing }
            guard maxAge > .zero, now - entry.storedAt < maxAge + refreshGrace else { return nil }
            if let started = entry.refreshing, now - started < refreshGrace { return entry.listing }
            state.entries[key]?.refreshing = now
            return nil
        }
    }

    /// Stamps a freshly read listing and keeps it, unless the tenant changed since `generation`.
    func store(
        _ tenantID: UUID, _ filter: ConnectorFilter, page: ConnectorPage, facets: ConnectorFacets,
        generation: Generation
    ) -> ConnectorListing {
        let listing = ConnectorListing(
            page: page, facets: facets, stamp: stamps.add(1, ordering: .relaxed).newValue)
        state.withLock { state in
            guard generation == state.generation(tenantID) else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[Key(tenantID: tenantID, filter: filter)] = Entry(
                listing: listing, generation: generation, storedAt: .now)
        }
        return listing
    }

    /// Forgets the tenant's pages (after a change here, or a notification from another node).
    public func invalidate(_ tenantID: UUID) {
        state.withLock { state in
            state.generations[tenantID, default: 0] += 1
            state.entries = state.entries.filter { $0.key.tenantID != tenantID }
        }
    }

    /// Forgets every tenant's pages: a catalog change may add a version ("Upgrade available").
    public func invalidateAll() {
        state.withLock { state in
            state.epoch += 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Tells every node, once the caller's transaction commits, that the tenant's connectors changed.
    static func notify(_ tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_notify($1, $2)", [channel, tenantID.uuidString.lowercased()])
    }

    /// Applies other nodes' changes, and catalog changes, until the task is cancelled.
    public func followChanges(pool: PostgresPool, logger: Logger) async {
        do {
            let connectors = try await pool.listen(Self.channel)
            let catalog = try await pool.listen(CatalogSeeder.channel)
            async let catalogChanges: Void = {
                for await _ in catalog { invalidateAll() }
            }()
            for await notification in connectors {
                if let tenantID = UUID(uuidString: notification.payload) { invalidate(tenantID) }
            }
            await catalogChanges
        } catch {
            logger.warning(
                "cannot listen for connector changes; relying on expiry", metadata: ["error": "\(error)"])
        }
    }
}
