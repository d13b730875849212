/// The fields of an object value, in insertion order.
///
/// View-model objects are small (a handful of fields), where a linear scan over the keys beats
/// hashing; objects past ``indexThreshold`` fields also keep a hash index.
public struct TemplateObject: Sendable {
    /// Field count from which lookups go through a hash index.
    static let indexThreshold = 16

    private(set) var keys: [String] = []
    private(set) var values: [TemplateValue] = []
    private var index: [String: Int]?

    /// An empty object.
    public init() {}

    /// An object from key–value pairs; a repeated key keeps its last value.
    public init(_ pairs: some Sequence<(String, TemplateValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    /// An object from a dictionary (field order is the dictionary's).
    public init(_ dictionary: [String: TemplateValue]) {
        self.init(dictionary.lazy.map { ($0.key, $0.value) })
    }

    /// The number of fields.
    public var count: Int { keys.count }

    /// The field names, in insertion order.
    public var fieldNames: [String] { keys }

    /// The value of a field; setting `nil` removes the field.
    public subscript(key: String) -> TemplateValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return values[position]
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    values[position] = newValue
                } else {
                    keys.remove(at: position)
                    values.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
                if index != nil {
                    index?[key] = keys.count - 1
                } else if keys.count >= Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    @inline(__always)
    func position(of key: String) -> Int? {
        if let index { return index[key] }
        for position in keys.indices where keys[position] == key { return position }
        return nil
    }

    private mutating func rebuildIndex() {
        guard keys.count >= Self.indexThreshold else {
            index = nil
            return
        }
        var built = [String: Int](minimumCapacity: keys.count)
        for (position, key) in keys.enumerated() { built[key] = position }
        index = built
    }
}

extension TemplateObject: Equatable {
    /// Two objects are equal when they hold the same fields with equal values, in any order.
    public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in zip(lhs.keys, lhs.values) where rhs[key] != value { return false }
        return true
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(elements)
    }
}
