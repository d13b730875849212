import JSON

/// The JSON Schema dialects the compiler understands; `$schema` picks one per schema resource.
public enum Dialect: Sendable, Hashable {
    /// Draft 2020-12 (also used for 2019-09 `$schema` values, which it mostly extends).
    case draft2020_12
    /// Draft-07 (also used for draft-04 and draft-06 `$schema` values): `definitions`,
    /// `dependencies`, array-form `items` with `additionalItems`, and `$ref` hiding its siblings.
    case draft7

    /// The dialect a `$schema` URI names, if it is one of the well-known ones.
    static func named(_ uri: String) -> Dialect? {
        if uri.contains("json-schema.org/draft/2020-12/") || uri.contains("json-schema.org/draft/2019-09/") {
            return .draft2020_12
        }
        if uri.contains("json-schema.org/draft-07/") || uri.contains("json-schema.org/draft-06/")
            || uri.contains("json-schema.org/draft-04/")
        {
            return .draft7
        }
        return nil
    }
}

/// Extra schemas that `$ref` can reach by absolute URI (what other tools fetch over the network;
/// this library never does).
public struct SchemaRegistry: Sendable {
    var documents: [String: JSON] = [:]

    public init() {}

    /// Makes `schema` reachable at `uri` (and at any `$id` it declares).
    public mutating func register(_ schema: JSON, at uri: String) {
        documents[URIReference(uri).withoutFragment.description] = schema
    }

    /// The schema registered at `uri`, ignoring any fragment.
    public func schema(at uri: String) -> JSON? {
        documents[URIReference(uri).withoutFragment.description]
    }
}

/// How a schema is compiled and applied.
public struct SchemaOptions: Sendable {
    /// The dialect for schemas without a recognised `$schema`.
    public var defaultDialect: Dialect = .draft2020_12
    /// Whether `format` is an assertion (the default here) or only an annotation, as the 2020-12
    /// specification has it by default.
    public var assertsFormat = true
    /// Schemas reachable by `$ref` to an absolute URI.
    public var registry = SchemaRegistry()
    /// The base URI of the schema when it has no `$id` of its own.
    public var baseURI = "urn:patchbay:schema"

    public init(
        defaultDialect: Dialect = .draft2020_12, assertsFormat: Bool = true,
        registry: SchemaRegistry = SchemaRegistry()
    ) {
        self.defaultDialect = defaultDialect
        self.assertsFormat = assertsFormat
        self.registry = registry
    }
}
