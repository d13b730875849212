import JSON

/// Identifies a compiled subschema within `Schema.nodes`.
typealias NodeID = Int

/// One compiled subschema: its keywords in evaluation order (`unevaluated*` last, since they read
/// the annotations the others produce).
struct SchemaNode: Sendable {
    enum Body: Sendable {
        case alwaysValid
        case alwaysInvalid
        case keywords([Keyword])
    }

    var body: Body
    /// JSON Pointer of the subschema, as shown in errors.
    var location: String
    /// Index of the schema resource it belongs to, for `$dynamicRef`'s dynamic scope.
    var resource: Int
    var title: String?
    /// Whether validating this node needs evaluated-property/item annotations.
    var needsAnnotations = false

    static let placeholder = SchemaNode(body: .alwaysValid, location: "", resource: 0)
}

/// A set of JSON types, as the `type` keyword lists them.
struct JSONTypes: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = JSONTypes(rawValue: 1 << 0)
    static let boolean = JSONTypes(rawValue: 1 << 1)
    static let integer = JSONTypes(rawValue: 1 << 2)
    static let number = JSONTypes(rawValue: 1 << 3)
    static let string = JSONTypes(rawValue: 1 << 4)
    static let array = JSONTypes(rawValue: 1 << 5)
    static let object = JSONTypes(rawValue: 1 << 6)

    static let names: [(String, JSONTypes)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number),
        ("string", .string), ("array", .array), ("object", .object),
    ]

    /// Whether a value has one of these types (an integral number counts as an integer).
    func admits(_ value: JSON) -> Bool {
        switch value {
        case .null: contains(.null)
        case .bool: contains(.boolean)
        case .int: !isDisjoint(with: [.integer, .number])
        case .double(let number):
            contains(.number)
                || (contains(.integer) && number.isFinite && number.rounded(.towardZero) == number)
        case .string: contains(.string)
        case .array: contains(.array)
        case .object: contains(.object)
        }
    }
}

/// The properties/patternProperties/additionalProperties trio, applied in one pass over an object.
struct ObjectMembersRule: Sendable {
    var properties = PropertyTable()
    var patterns: [(regex: ECMARegex, node: NodeID)] = []
    /// Applies to members matched by neither of the above; nil when absent.
    var additional: NodeID?
}

/// A compiled keyword, ready to apply.
enum Keyword: Sendable {
    case type(JSONTypes)
    case enumeration([JSON])
    case constant(JSON)

    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)
    case format(FormatChecker)

    case minimum(JSON)
    case maximum(JSON)
    case exclusiveMinimum(JSON)
    case exclusiveMaximum(JSON)
    case multipleOf(JSON)

    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    /// `prefixItems` (draft-07: array-form `items`).
    case prefixItems([NodeID])
    /// `items` for elements from `start` on (draft-07: `additionalItems` with `start` = tuple length).
    case items(NodeID, start: Int, keyword: String)
    case contains(NodeID, min: Int, max: Int?)

    case objectMembers(ObjectMembersRule)
    case propertyNames(NodeID)
    case required([String])
    case minProperties(Int)
    case maxProperties(Int)
    case dependentRequired([(property: String, required: [String])])
    case dependentSchemas([(property: String, node: NodeID)])

    case allOf([NodeID])
    case anyOf([NodeID])
    case oneOf([NodeID])
    case not(NodeID)
    case conditional(if: NodeID, then: NodeID?, else: NodeID?)
    case ref(NodeID)
    /// `$dynamicRef`: `anchor` is set when the statically resolved target has a matching
    /// `$dynamicAnchor`, which turns on the dynamic-scope search.
    case dynamicRef(NodeID, anchor: String?)

    case unevaluatedProperties(NodeID)
    case unevaluatedItems(NodeID)
}
