import JSON

/// Every schema document in play and what its identifiers point at: resources by `$id`, `$anchor`s
/// and `$dynamicAnchor`s by URI, and the scope (base URI, dialect) in force at each subschema.
/// Registered documents are loaded the first time something refers to them.
struct ResourceIndex {
    private(set) var documents: [JSON] = []
    private(set) var documentNames: [String] = []
    /// Absolute URI without fragment → resource root.
    private(set) var resources: [String: SchemaLocation] = [:]
    /// `uri#name` → subschema with that `$anchor` or `$dynamicAnchor`.
    private(set) var anchors: [String: SchemaLocation] = [:]
    /// `uri#name` → subschema with that `$dynamicAnchor`.
    private(set) var dynamicAnchors: [String: SchemaLocation] = [:]
    private(set) var scopes: [SchemaLocation: SchemaScope] = [:]
    let options: SchemaOptions

    init(options: SchemaOptions) {
        self.options = options
    }

    /// Adds a document and indexes its identifiers; returns its document number.
    mutating func addDocument(_ json: JSON, uri: URIReference, name: String) -> Int {
        let document = documents.count
        documents.append(json)
        documentNames.append(name)
        let root = SchemaLocation(document: document, pointer: "")
        resources[uri.withoutFragment.description] = root
        let scope = SchemaScope(
            baseURI: uri.withoutFragment, dialect: options.defaultDialect, vocabularies: .all)
        scan(json, at: root, scope: scope)
        return document
    }

    /// The location a URI (with or without fragment) designates, loading a registered document if
    /// needed; nil if nothing matches.
    mutating func locate(_ uri: URIReference) -> SchemaLocation? {
        let resourceKey = uri.withoutFragment.description
        if resources[resourceKey] == nil,
            let document = options.registry.documents[resourceKey] ?? Metaschemas.documents[resourceKey]
        {
            _ = addDocument(document, uri: uri.withoutFragment, name: resourceKey)
        }
        let fragment = uri.fragment ?? ""
        guard fragment.isEmpty || fragment.hasPrefix("/") else {
            return anchors[resourceKey + "#" + fragment]
        }
        guard let root = resources[resourceKey], let pointer = fragment.percentDecoded,
            let parsed = JSONPointer(pointer)
        else { return nil }
        let target = SchemaLocation(document: root.document, pointer: root.pointer + parsed.description)
        return value(at: target) == nil ? nil : target
    }

    func value(at location: SchemaLocation) -> JSON? {
        documents[location.document].at(pointer: location.pointer)
    }

    /// Human-readable location: a pointer for the main document, `uri#pointer` for others.
    func describe(_ location: SchemaLocation) -> String {
        location.document == 0 ? location.pointer : documentNames[location.document] + "#" + location.pointer
    }

    /// The scope at `location`: as scanned, or else that of the document containing it.
    func scope(at location: SchemaLocation) -> SchemaScope {
        if let scope = scopes[location] { return scope }
        var pointer = location.pointer
        while let slash = pointer.lastIndex(of: "/") {
            pointer = String(pointer[..<slash])
            if let scope = scopes[SchemaLocation(document: location.document, pointer: pointer)] {
                return scope
            }
        }
        return scopes[SchemaLocation(document: location.document, pointer: "")]
            ?? SchemaScope(
                baseURI: URIReference(options.baseURI), dialect: options.defaultDialect, vocabularies: .all)
    }

    // MARK: Scanning

    private mutating func scan(_ json: JSON, at location: SchemaLocation, scope outer: SchemaScope) {
        guard case .object(let object) = json else { return }
        var scope = outer
        let isResourceRoot = location.pointer.isEmpty || object["$id"] != nil
        if isResourceRoot, let metaschema = object["$schema"]?.string {
            applyMetaschema(metaschema, to: &scope)
        }
        let hidesSiblings = scope.dialect == .draft7 && object["$ref"] != nil
        if let id = object["$id"]?.string, !hidesSiblings {
            let resolved = URIReference(id).resolved(against: scope.baseURI)
            if scope.dialect == .draft7, let fragment = resolved.fragment, !fragment.isEmpty {
                // Draft-07 spells anchors as `$id: "#name"`.
                anchors[resolved.withoutFragment.description + "#" + fragment] = location
                if !id.hasPrefix("#") {
                    registerResource(resolved.withoutFragment, at: location, scope: &scope)
                }
            } else {
                registerResource(resolved.withoutFragment, at: location, scope: &scope)
            }
        }
        if scope.dialect == .draft2020_12 {
            let base = scope.baseURI.description
            if let anchor = object["$anchor"]?.string { anchors[base + "#" + anchor] = location }
            if let anchor = object["$dynamicAnchor"]?.string {
                anchors[base + "#" + anchor] = location
                dynamicAnchors[base + "#" + anchor] = location
            }
        }
        scopes[location] = scope

        for keyword in scope.dialect.singleSchemaKeywords {
            if let child = object[keyword] { scan(child, at: location.appending(keyword), scope: scope) }
        }
        for keyword in scope.dialect.schemaMapKeywords {
            guard let members = object[keyword]?.object else { continue }
            for (name, child) in members { scan(child, at: location.appending(keyword, name), scope: scope) }
        }
        for keyword in scope.dialect.schemaArrayKeywords {
            guard let elements = object[keyword]?.array else { continue }
            for (index, child) in elements.enumerated() {
                scan(child, at: location.appending(keyword, String(index)), scope: scope)
            }
        }
    }

    private mutating func registerResource(
        _ uri: URIReference, at location: SchemaLocation, scope: inout SchemaScope
    ) {
        scope.baseURI = uri
        if resources[uri.description] == nil { resources[uri.description] = location }
    }

    private func applyMetaschema(_ uri: String, to scope: inout SchemaScope) {
        if let dialect = Dialect.named(uri) {
            scope.dialect = dialect
            scope.vocabularies = .all
            return
        }
        guard let metaschema = options.registry.schema(at: uri) else { return }
        scope.dialect = metaschema["$schema"]?.string.flatMap(Dialect.named) ?? options.defaultDialect
        scope.vocabularies = Vocabularies.declared(by: metaschema) ?? .all
    }
}
