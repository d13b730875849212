import Synchronization

/// A small in-memory cache for derived values (serialised list bodies, view models) keyed by a string
/// that includes everything the value depends on — callers put the catalog generation in the key, so
/// stale entries are never hit, only left to be dropped. A full cache starts over.
final class BoundedCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: Value]>([:])
    private let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    func lookup(_ key: String) -> Value? {
        entries.withLock { $0[key] }
    }

    func store(_ key: String, _ value: Value) {
        entries.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = value
        }
    }
}
