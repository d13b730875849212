/// `properties` as name → node. Typical schemas have a handful of properties per object, where
/// comparing names beats hashing them; larger tables get a dictionary.
struct PropertyTable: Sendable, Sequence {
    private var names: [String] = []
    private var nodes: [NodeID] = []
    private var lookup: [String: NodeID]?

    private static let linearLimit = 16

    var isEmpty: Bool { names.isEmpty }

    subscript(name: String) -> NodeID? {
        if let lookup { return lookup[name] }
        let length = name.utf8.count
        for index in names.indices where names[index].utf8.count == length && names[index] == name {
            return nodes[index]
        }
        return nil
    }

    /// Adds a property; names come from one JSON object, so they are distinct.
    mutating func add(_ name: String, _ node: NodeID) {
        names.append(name)
        nodes.append(node)
        if lookup != nil {
            lookup?[name] = node
        } else if names.count > Self.linearLimit {
            lookup = Dictionary(uniqueKeysWithValues: zip(names, nodes))
        }
    }

    func makeIterator() -> Zip2Sequence<[String], [NodeID]>.Iterator {
        zip(names, nodes).makeIterator()
    }
}
