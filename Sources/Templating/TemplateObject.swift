/// The fields of an object value, in insertion order.
///
/// The fields live in one immutable storage object, so that passing an object around, as the
/// renderer does for every name lookup, costs a single reference count. View-model objects are
/// small (a handful of fields), where a linear scan over the keys beats hashing; objects of
/// ``indexThreshold`` fields or more also keep a hash index.
public struct TemplateObject: Sendable {
    /// Field count from which lookups go through a hash index.
    static let indexThreshold = 16

    /// One field.
    public typealias Field = (key: String, value: TemplateValue)

    private final class Storage: Sendable {
        let fields: [Field]
        let index: [String: Int]?

        init(_ fields: [Field]) {
            self.fields = fields
            if fields.count >= TemplateObject.indexThreshold {
                var index = [String: Int](minimumCapacity: fields.count)
                for (position, field) in fields.enumerated() { index[field.key] = position }
                self.index = index
            } else {
                index = nil
            }
        }

        static let empty = Storage([])
    }

    private var storage: Storage

    /// An empty object.
    public init() {
        storage = .empty
    }

    /// An object from key–value pairs; a repeated key keeps its last value.
    public init(_ pairs: some Sequence<(String, TemplateValue)>) {
        var fields: [Field] = []
        fields.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs {
            if let position = Self.position(of: key, in: fields) {
                fields[position].value = value
            } else {
                fields.append((key, value))
            }
        }
        storage = Storage(fields)
    }

    /// An object from a dictionary (field order is the dictionary's).
    public init(_ dictionary: [String: TemplateValue]) {
        storage = Storage(dictionary.map { ($0.key, $0.value) })
    }

    /// The number of fields.
    public var count: Int { storage.fields.count }

    /// The fields, in insertion order.
    public var fields: [Field] { storage.fields }

    /// The value of a field. Setting a value copies the fields (objects are built once per
    /// render and read many times); setting `nil` removes the field.
    public subscript(key: String) -> TemplateValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return storage.fields[position].value
        }
        set {
            var fields = storage.fields
            switch (position(of: key), newValue) {
            case (let position?, let newValue?): fields[position].value = newValue
            case (let position?, nil): fields.remove(at: position)
            case (nil, let newValue?): fields.append((key, newValue))
            case (nil, nil): return
            }
            storage = Storage(fields)
        }
    }

    @inline(__always)
    private func position(of key: String) -> Int? {
        if let index = storage.index { return index[key] }
        return Self.position(of: key, in: storage.fields)
    }

    @inline(__always)
    private static func position(of key: String, in fields: [Field]) -> Int? {
        // Comparing lengths first rejects most other keys without a full string comparison.
        let length = key.utf8.count
        for position in fields.indices where fields[position].key.utf8.count == length {
            if fields[position].key == key { return position }
        }
        return nil
    }
}

extension TemplateObject: Equatable {
    /// Two objects are equal when they hold the same fields with equal values, in any order.
    public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.fields where rhs[key] != value { return false }
        return true
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(elements)
    }
}
