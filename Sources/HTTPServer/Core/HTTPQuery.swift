/// Ordered name/value pairs from a query string or a form body, with convenience lookups.
public struct HTTPQuery: Sendable, Sequence, CustomStringConvertible {
    public typealias Element = (name: String, value: String)

    /// Every pair in order, duplicates included.
    public var pairs: [Element]

    public init(_ pairs: [(String, String)] = []) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Parses the raw (still encoded) query string, e.g. `a=1&b=x+y`.
    public init(encoded: some Collection<UInt8>) {
        self.init(PercentEncoding.parseForm(Array(encoded)))
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public var count: Int { pairs.count }

    public func makeIterator() -> IndexingIterator<[Element]> { pairs.makeIterator() }

    /// The first value for `name`, or nil.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order (for repeated fields like `tag=a&tag=b`).
    public func values(for name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The first value for `name` converted with `T(_:)`, or nil if absent or not convertible.
    public func get<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) -> T? {
        self[name].flatMap(T.init)
    }

    public var description: String {
        pairs.map { "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))" }
            .joined(separator: "&")
    }
}
