import Synchronization

/// Host names' addresses, remembered for `lifetime` after each lookup, so that a connector called
/// again and again does not wait for DNS on every call.
///
/// Only answers are kept (a failed lookup is asked again next time), and only addresses: every
/// use still checks each of them against the caller's policy (`CheckedDestination`), so a cached
/// answer never lets through what the policy refuses. Holding an answer for a while also means a
/// name cannot be rebound to another address between two calls within that time.
///
/// At most `capacity` names are kept; when a new name comes to a full cache, expired answers go
/// first, then the one that expires soonest.
public final class ResolverCache: Sendable {
    public let lifetime: Duration
    public let capacity: Int
    private let lookUp: @Sendable (String) throws -> [IPAddress]
    private let now: @Sendable () -> ContinuousClock.Instant
    private let answers = Mutex<[String: Answer]>([:])

    private struct Answer {
        let addresses: [IPAddress]
        let expires: ContinuousClock.Instant
    }

    /// A cache over `lookUp`; a `lifetime` of zero keeps nothing. `now` is swappable for tests.
    public init(
        lifetime: Duration, capacity: Int = 1024,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        lookUp: @escaping @Sendable (String) throws -> [IPAddress]
    ) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.now = now
        self.lookUp = lookUp
    }

    /// The addresses of `host`: remembered ones while they last, else a fresh lookup's.
    public func resolve(_ host: String) throws -> [IPAddress] {
        guard lifetime > .zero else { return try lookUp(host) }
        if let known = knownAddresses(host) { return known }
        let key = Self.key(host)
        let addresses = try lookUp(host)
        let answered = now()
        answers.withLock { table in
            if table[key] == nil, table.count >= capacity { makeRoom(in: &table, at: answered) }
            table[key] = Answer(addresses: addresses, expires: answered + lifetime)
        }
        return addresses
    }

    /// The addresses of `host` while a kept answer lasts; nil when `resolve` would have to look.
    public func knownAddresses(_ host: String) -> [IPAddress]? {
        guard lifetime > .zero else { return nil }
        let asked = now()
        guard let answer = answers.withLock({ $0[Self.key(host)] }), answer.expires > asked else {
            return nil
        }
        return answer.addresses
    }

    /// Names with an answer kept (expired or not), for tests and diagnostics.
    public var count: Int { answers.withLock { $0.count } }

    /// Forgets every answer.
    public func removeAll() { answers.withLock { $0.removeAll() } }

    private func makeRoom(in table: inout [String: Answer], at instant: ContinuousClock.Instant) {
        table = table.filter { $0.value.expires > instant }
        if table.count >= capacity, let soonest = table.min(by: { $0.value.expires < $1.value.expires })?.key
        {
            table.removeValue(forKey: soonest)
        }
    }

    /// DNS names are case-insensitive, and a trailing dot names the same host.
    private static func key(_ host: String) -> String {
        let lowered = host.lowercased()
        return lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered
    }
}
