import Foundation
import Logging
import Postgres
import Synchronization

/// Recently authenticated callers, keyed by the storage hash of their session or API token, so a
/// signed-in request costs no database round trip.
///
/// An entry lives at most `ttl` and never past the session's or token's own expiry. Every change that
/// could alter an identity (logout, revocation, a role change, a removed membership, a renamed
/// tenant...) fires a notification on `channel` from a database trigger, on whichever node or command
/// made it; every node listening drops its whole cache. The node that made the change also drops it
/// at once, so its next request never sees the old identity. Notifications missed while a node's
/// listening connection was down are covered by `ttl`.
public final class IdentityCache: Sendable {
    public static let channel = "patchbay_identity"

    struct Entry: Sendable {
        let identity: Identity
        let validUntil: Date
    }

    struct State: Sendable {
        var entries: [String: Entry] = [:]
        /// Increases on every invalidation; a lookup that started before one is not stored.
        var generation = 0
    }

    public let ttl: Duration
    public let capacity: Int
    private let state = Mutex(State())

    /// `ttl` of zero turns caching off.
    public init(ttl: Duration, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached identity for `tokenHash`, or the result of `load` (stored when it is someone).
    /// Unknown tokens are not cached: a flood of wrong tokens must not push out real callers.
    public func identity(
        forTokenHash tokenHash: String, load: () async throws -> (Identity, expiresAt: Date)?
    ) async throws -> Identity? {
        guard ttl > .zero else { return try await load()?.0 }
        let now = Date()
        let (cached, generation) = state.withLock { state in
            (state.entries[tokenHash], state.generation)
        }
        if let cached, cached.validUntil > now { return cached.identity }
        guard let (identity, expiresAt) = try await load() else { return nil }
        let entry = Entry(identity: identity, validUntil: min(expiresAt, now + ttl.timeInterval))
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { Self.makeRoom(&state, capacity: capacity, now: now) }
            state.entries[tokenHash] = entry
        }
        return identity
    }

    /// Forgets every cached identity.
    public func invalidateAll() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }

    /// How many identities are cached (for tests and metrics).
    public var count: Int { state.withLock { $0.entries.count } }

    /// Drops the cache on every identity change any node makes, until the task is cancelled.
    public func followChanges(pool: PostgresPool, logger: Logger) async {
        do {
            let changes = try await pool.listen(Self.channel)
            for await _ in changes { invalidateAll() }
        } catch {
            logger.warning(
                "cannot listen for identity changes; relying on expiry", metadata: ["error": "\(error)"])
        }
    }

    /// Expired entries go first; if every entry is still fresh, all of them do (rare: the capacity
    /// is far above the number of people and tokens active within one `ttl`).
    private static func makeRoom(_ state: inout State, capacity: Int, now: Date) {
        state.entries = state.entries.filter { $0.value.validUntil > now }
        if state.entries.count >= capacity { state.entries.removeAll() }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
