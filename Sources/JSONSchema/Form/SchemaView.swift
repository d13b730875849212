import JSON

/// A subschema as a form sees it: `$ref` followed and `allOf` members merged in, with each keyword
/// remembering where it came from so nested references still resolve against the right base.
struct SchemaView {
    var keywords: [String: (value: JSON, origin: SchemaLocation)] = [:]
    var properties: [(name: String, location: SchemaLocation)] = []
    var required: Set<String> = []

    subscript(keyword: String) -> JSON? { keywords[keyword]?.value }

    func string(_ keyword: String) -> String? { self[keyword]?.string }

    /// The first non-null `type`.
    var type: String? {
        switch self["type"] {
        case .string(let name): name
        case .array(let names): names.compactMap(\.string).first { $0 != "null" }
        default: nil
        }
    }

    /// The location of the subschema under `keyword` (and `tokens`).
    func location(of keyword: String, _ tokens: String...) -> SchemaLocation? {
        guard let origin = keywords[keyword]?.origin else { return nil }
        var location = origin.appending(keyword)
        for token in tokens { location = location.appending(token) }
        return location
    }

    /// Adds what `other` has and this view lacks (this view's keywords win).
    mutating func absorb(_ other: SchemaView) {
        for (keyword, entry) in other.keywords where keywords[keyword] == nil { keywords[keyword] = entry }
        for property in other.properties where !properties.contains(where: { $0.name == property.name }) {
            properties.append(property)
        }
        required.formUnion(other.required)
    }
}

extension ResourceIndex {
    /// The merged view of the subschema at `location`; `hops` bounds reference chains.
    mutating func view(at location: SchemaLocation, hops: Int = 0) -> SchemaView {
        var view = SchemaView()
        guard hops < 16, case .object(let object) = value(at: location) else { return view }
        for (keyword, value) in object where keyword != "$ref" && keyword != "allOf" {
            view.keywords[keyword] = (value, location)
        }
        for name in object["properties"]?.object?.keys ?? [] {
            view.properties.append((name, location.appending("properties", name)))
        }
        for name in object["required"]?.array ?? [] {
            if let name = name.string { view.required.insert(name) }
        }
        if let reference = object["$ref"]?.string,
            let target = locate(URIReference(reference).resolved(against: scope(at: location).baseURI))
        {
            view.absorb(self.view(at: target, hops: hops + 1))
        }
        for index in (object["allOf"]?.array ?? []).indices {
            view.absorb(self.view(at: location.appending("allOf", String(index)), hops: hops + 1))
        }
        return view
    }
}
