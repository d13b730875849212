import JSON

/// Small builders for the JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the contract, so an entry
/// reads like the body it describes: `object(["id": uuid, "name": string])`.
extension APIContract {
    static let string: JSON = ["type": "string"]
    static let boolean: JSON = ["type": "boolean"]
    static let integer: JSON = ["type": "integer"]
    /// Any JSON value.
    static let any: JSON = [:]
    /// Any JSON object.
    static let anyObject: JSON = ["type": "object"]
    static let uuid: JSON = ["type": "string", "format": "uuid"]
    static let dateTime: JSON = ["type": "string", "format": "date-time"]
    static let stringList: JSON = array(string)
    /// A 64-bit whole number, the range the server parses.
    static let int64: JSON = [
        "type": "integer", "minimum": .int(Int64.min), "maximum": .int(Int64.max),
    ]

    /// A reference to a schema in `components.schemas`.
    static func ref(_ name: String) -> JSON { ["$ref": .string("#/components/schemas/\(name)")] }

    static func array(_ items: JSON) -> JSON { ["type": "array", "items": items] }

    /// `schema` or `null`.
    static func nullable(_ schema: JSON) -> JSON {
        if case .string(let type)? = schema["type"], var object = schema.object {
            object["type"] = [.string(type), "null"]
            return .object(object)
        }
        return ["anyOf": [schema, ["type": "null"]]]
    }

    static func oneOf(_ values: [String], _ description: String? = nil) -> JSON {
        var schema: JSONObject = ["type": "string", "enum": .array(values.map(JSON.string))]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A whole number in `range`.
    static func integer(_ range: ClosedRange<Int>) -> JSON {
        [
            "type": "integer", "minimum": .int(Int64(range.lowerBound)),
            "maximum": .int(Int64(range.upperBound)),
        ]
    }

    /// An object of `properties`; `required` defaults to every property (responses always carry them).
    /// Other members are allowed: clients must ignore what they do not know.
    static func object(_ properties: JSONObject, required: [String]? = nil, description: String? = nil)
        -> JSON
    {
        var schema: JSONObject = [
            "type": "object", "properties": .object(properties),
            "required": .array((required ?? properties.keys).map(JSON.string)),
        ]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A string that matches the regular expression `core` once surrounding white space is trimmed,
    /// for inputs the server trims before checking them.
    static func trimmedString(_ core: String) -> JSON {
        ["type": "string", "pattern": .string("^\\s*\(core)\\s*$")]
    }

    /// A map from names to values of `schema`.
    static func map(_ schema: JSON) -> JSON { ["type": "object", "additionalProperties": schema] }

    /// `schema` with a description (and examples, which fuzzers and the docs page use).
    static func described(_ schema: JSON, _ description: String, examples: [JSON] = []) -> JSON {
        guard var object = schema.object else { return schema }
        object["description"] = .string(description)
        if !examples.isEmpty { object["examples"] = .array(examples) }
        return .object(object)
    }
}
