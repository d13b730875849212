/// The members of a JSON object, in insertion order, with fast lookup by key.
///
/// Small objects (the common case) are searched linearly, which beats hashing for a handful of
/// short keys; past `indexThreshold` members a dictionary index is kept alongside. Keys compare as
/// Swift strings (canonical equivalence), so two keys differing only in Unicode normalization count
/// as the same key.
public struct JSONObject: Sendable {
    /// One member. A struct rather than a tuple: arrays of tuples go through slow generic copies.
    struct Member: Sendable {
        var key: String
        var value: JSON
    }

    private(set) var members: [Member]
    private var index: [String: Int]?

    private static let indexThreshold = 12

    /// An empty object.
    public init() {
        members = []
    }

    /// An object from key/value pairs; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, JSON)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// Builds an object from members whose keys are known to be distinct.
    init(uniqueMembers members: [Member]) {
        self.members = members
        if members.count > Self.indexThreshold { rebuildIndex() }
    }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    /// The values, in key order.
    public var values: [JSON] { members.map(\.value) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The position of `key` among the members, if present.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        let length = key.utf8.count
        // Comparing lengths first skips most string comparisons.
        return members.firstIndex { $0.key.utf8.count == length && $0.key == key }
    }

    /// Whether the object has a member named `key`.
    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// The value for `key`; assigning `nil` removes the member, assigning a value to a new key appends it.
    public subscript(key: String) -> JSON? {
        get {
            guard let position = position(of: key) else { return nil }
            return members[position].value
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets the value for `key`, appending the key if new; returns the previous value.
    @discardableResult
    public mutating func updateValue(_ value: JSON, forKey key: String) -> JSON? {
        if let position = position(of: key) {
            let old = members[position].value
            members[position].value = value
            return old
        }
        members.append(Member(key: key, value: value))
        if index != nil {
            index?[key] = members.count - 1
        } else if members.count > Self.indexThreshold {
            rebuildIndex()
        }
        return nil
    }

    /// Removes the member named `key`, keeping the others in order; returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let position = position(of: key) else { return nil }
        let old = members.remove(at: position).value
        if index != nil {
            if members.count > Self.indexThreshold { rebuildIndex() } else { index = nil }
        }
        return old
    }

    private mutating func rebuildIndex() {
        var built = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { built[member.key] = position }
        index = built
    }
}

extension JSONObject: RandomAccessCollection {
    public typealias Element = (key: String, value: JSON)
    public var startIndex: Int { 0 }
    public var endIndex: Int { members.count }
    public subscript(position: Int) -> (key: String, value: JSON) {
        let member = members[position]
        return (member.key, member.value)
    }
}

extension JSONObject: Hashable {
    /// Objects are equal when they have the same members, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: sum the hashes of the members.
        var sum = 0
        for (key, value) in self {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            sum &+= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }
}
