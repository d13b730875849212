import Synchronization

/// A small in-memory cache keyed by a string. Callers make stale entries harmless: either the key
/// includes everything the value depends on (the catalog generation, say), so a stale entry is never
/// hit, only left to be dropped, or the value is checked against the database before it is relied
/// on. A full cache starts over.
public final class BoundedCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: Value]>([:])
    private let capacity: Int

    public init(capacity: Int = 512) { self.capacity = capacity }

    public func lookup(_ key: String) -> Value? {
        entries.withLock { $0[key] }
    }

    public func store(_ key: String, _ value: Value) {
        entries.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = value
        }
    }

    public func remove(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
