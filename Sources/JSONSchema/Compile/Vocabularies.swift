import JSON

/// The 2020-12 vocabularies whose keywords this validator applies. A metaschema's `$vocabulary` can
/// switch some off; keywords of a switched-off vocabulary are ignored like unknown keywords.
struct Vocabularies: OptionSet, Sendable, Hashable {
    let rawValue: Int

    static let applicator = Vocabularies(rawValue: 1 << 0)
    static let validation = Vocabularies(rawValue: 1 << 1)
    static let unevaluated = Vocabularies(rawValue: 1 << 2)
    static let format = Vocabularies(rawValue: 1 << 3)
    /// Declared by the format-assertion vocabulary: `format` asserts whatever the options say.
    static let formatAssertion = Vocabularies(rawValue: 1 << 4)
    static let all: Vocabularies = [.applicator, .validation, .unevaluated, .format]

    /// The vocabularies a metaschema's `$vocabulary` object enables; nil if it has none.
    static func declared(by metaschema: JSON) -> Vocabularies? {
        guard let declared = metaschema["$vocabulary"]?.object else { return nil }
        var result: Vocabularies = []
        for key in declared.keys {
            switch key.split(separator: "/").last {
            case "applicator": result.insert(.applicator)
            case "validation": result.insert(.validation)
            case "unevaluated": result.insert(.unevaluated)
            case "format-annotation", "format": result.insert(.format)
            case "format-assertion": result.formUnion([.format, .formatAssertion])
            default: break
            }
        }
        return result
    }
}

/// Where a subschema sits: which loaded document, and the JSON Pointer inside it.
struct SchemaLocation: Hashable, Sendable {
    let document: Int
    let pointer: String

    func appending(_ tokens: String...) -> SchemaLocation {
        var pointer = pointer
        for token in tokens { pointer += "/" + JSONPointer.escape(token) }
        return SchemaLocation(document: document, pointer: pointer)
    }
}

/// What is in force at a subschema: its base URI, dialect and vocabularies.
struct SchemaScope: Sendable {
    var baseURI: URIReference
    var dialect: Dialect
    var vocabularies: Vocabularies
}

extension Dialect {
    /// Keywords whose value is one subschema.
    var singleSchemaKeywords: [String] {
        switch self {
        case .draft2020_12:
            [
                "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
                "unevaluatedItems", "unevaluatedProperties", "contentSchema",
            ]
        case .draft7:
            [
                "additionalItems", "additionalProperties", "propertyNames", "contains", "not", "if", "then",
                "else",
            ]
        }
    }

    /// Keywords whose value is an object of subschemas.
    var schemaMapKeywords: [String] {
        switch self {
        case .draft2020_12: ["properties", "patternProperties", "$defs", "dependentSchemas", "dependencies"]
        case .draft7: ["properties", "patternProperties", "definitions", "dependencies"]
        }
    }

    /// Keywords whose value is an array of subschemas.
    var schemaArrayKeywords: [String] {
        switch self {
        case .draft2020_12: ["allOf", "anyOf", "oneOf", "prefixItems"]
        case .draft7: ["allOf", "anyOf", "oneOf", "items"]
        }
    }
}
