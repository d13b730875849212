import JSON

/// Turns schema documents into `SchemaNode`s. Each subschema is compiled once, keyed by location, and
/// a node's number is reserved before its children are compiled, so reference cycles simply point
/// back at a node under construction.
struct SchemaCompiler {
    var index: ResourceIndex
    var nodes: [SchemaNode] = []
    private var compiled: [SchemaLocation: NodeID] = [:]
    private var resourceNumbers: [String: Int] = [:]
    private(set) var usesDynamicScope = false

    init(options: SchemaOptions) {
        index = ResourceIndex(options: options)
    }

    var options: SchemaOptions { index.options }

    /// Compiles the subschema at `location` (once) and returns its node.
    mutating func compile(at location: SchemaLocation) throws(SchemaError) -> NodeID {
        if let existing = compiled[location] { return existing }
        guard let json = index.value(at: location) else {
            throw error(.unresolvableReference, at: location, "no schema at this location")
        }
        let node = nodes.count
        nodes.append(.placeholder)
        compiled[location] = node
        nodes[node] = try build(json, at: location)
        return node
    }

    /// The dynamic-anchor targets of every resource, compiled so `$dynamicRef` can jump to them.
    mutating func compileDynamicAnchors() throws(SchemaError) -> [Int: [String: NodeID]] {
        var table: [Int: [String: NodeID]] = [:]
        var done: Set<String> = []
        // Compiling a target may load further documents with anchors of their own.
        while let (key, location) = index.dynamicAnchors.first(where: { !done.contains($0.key) }) {
            done.insert(key)
            guard let hash = key.lastIndex(of: "#") else { continue }
            let resource = resourceNumber(String(key[..<hash]))
            table[resource, default: [:]][String(key[key.index(after: hash)...])] = try compile(at: location)
        }
        return table
    }

    func resourceNumbersByURI() -> [String: Int] { resourceNumbers }

    private mutating func build(_ json: JSON, at location: SchemaLocation) throws(SchemaError) -> SchemaNode {
        let scope = index.scope(at: location)
        let resource = resourceNumber(scope.baseURI.description)
        let shownLocation = index.describe(location)
        switch json {
        case .bool(true):
            return SchemaNode(body: .alwaysValid, location: shownLocation, resource: resource)
        case .bool(false):
            return SchemaNode(body: .alwaysInvalid, location: shownLocation, resource: resource)
        case .object(let object):
            var reader = KeywordReader(
                object: object, location: location, scope: scope, shownLocation: shownLocation)
            let keywords = try compileKeywords(&reader)
            var node = SchemaNode(
                body: .keywords(keywords), location: shownLocation, resource: resource,
                title: object["title"]?.string)
            node.needsAnnotations = keywords.contains {
                switch $0 {
                case .unevaluatedItems, .unevaluatedProperties: true
                default: false
                }
            }
            return node
        default:
            throw error(.invalidKeyword, at: location, "a schema must be an object or a boolean")
        }
    }

    private mutating func resourceNumber(_ uri: String) -> Int {
        if let number = resourceNumbers[uri] { return number }
        let number = resourceNumbers.count
        resourceNumbers[uri] = number
        return number
    }

    // MARK: References

    /// Resolves `$ref`/`$dynamicRef` text against the scope's base URI and compiles the target.
    mutating func resolveReference(_ text: String, keyword: String, reader: KeywordReader)
        throws(SchemaError) -> (node: NodeID, location: SchemaLocation)
    {
        let uri = URIReference(text).resolved(against: reader.scope.baseURI)
        guard let target = index.locate(uri) else {
            throw error(
                .unresolvableReference, at: reader.location.appending(keyword),
                "cannot resolve reference '\(text)'")
        }
        return (try compile(at: target), target)
    }

    mutating func compileDynamicReference(_ text: String, reader: KeywordReader) throws(SchemaError)
        -> Keyword
    {
        let (node, target) = try resolveReference(text, keyword: "$dynamicRef", reader: reader)
        let fragment = URIReference(text).fragment ?? ""
        var anchor: String?
        if !fragment.isEmpty, !fragment.hasPrefix("/"),
            index.value(at: target)?["$dynamicAnchor"]?.string == fragment
        {
            anchor = fragment
            usesDynamicScope = true
        }
        return .dynamicRef(node, anchor: anchor)
    }

    func error(_ kind: SchemaError.Kind, at location: SchemaLocation, _ message: String) -> SchemaError {
        SchemaError(kind: kind, schemaLocation: index.describe(location), message: message)
    }
}
