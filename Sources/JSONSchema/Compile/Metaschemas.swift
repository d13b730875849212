import JSON

/// The draft 2020-12 meta-schemas, so `$ref` to `https://json-schema.org/draft/2020-12/schema`
/// works without a network, and schemas can be checked against the dialect itself.
enum Metaschemas {
    static let base = "https://json-schema.org/draft/2020-12/"

    /// Parsed once, on first use.
    static let documents: [String: JSON] = {
        var parsed: [String: JSON] = [:]
        for (path, text) in sources {
            if let json = try? JSON(parsing: text) { parsed[base + path] = json }
        }
        return parsed
    }()

    private static func header(_ path: String, vocabularies: [String], title: String) -> String {
        let declared = vocabularies.map { "\"\(base)vocab/\($0)\": true" }.joined(separator: ", ")
        return """
            "$schema": "\(base)schema", "$id": "\(base)\(path)", "$vocabulary": {\(declared)},
            "$dynamicAnchor": "meta", "title": "\(title)", "type": ["object", "boolean"]
            """
    }

    static let sources: [String: String] = [
        "schema": """
        {\(header("schema", vocabularies: ["core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content"], title: "Core and Validation specifications meta-schema")),
          "allOf": [
            {"$ref": "meta/core"}, {"$ref": "meta/applicator"}, {"$ref": "meta/unevaluated"},
            {"$ref": "meta/validation"}, {"$ref": "meta/meta-data"}, {"$ref": "meta/format-annotation"},
            {"$ref": "meta/content"}
          ],
          "properties": {
            "definitions": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}, "deprecated": true},
            "dependencies": {
              "type": "object", "deprecated": true,
              "additionalProperties": {"anyOf": [{"$dynamicRef": "#meta"}, {"$ref": "meta/validation#/$defs/stringArray"}]}
            },
            "$recursiveAnchor": {"$ref": "meta/core#/$defs/anchorString", "deprecated": true},
            "$recursiveRef": {"$ref": "meta/core#/$defs/uriReferenceString", "deprecated": true}
          }
        }
        """,
        "meta/core": """
        {\(header("meta/core", vocabularies: ["core"], title: "Core vocabulary meta-schema")),
          "properties": {
            "$id": {"$ref": "#/$defs/uriReferenceString", "pattern": "^[^#]*#?$"},
            "$schema": {"$ref": "#/$defs/uriString"},
            "$ref": {"$ref": "#/$defs/uriReferenceString"},
            "$anchor": {"$ref": "#/$defs/anchorString"},
            "$dynamicRef": {"$ref": "#/$defs/uriReferenceString"},
            "$dynamicAnchor": {"$ref": "#/$defs/anchorString"},
            "$vocabulary": {
              "type": "object", "propertyNames": {"$ref": "#/$defs/uriString"},
              "additionalProperties": {"type": "boolean"}
            },
            "$comment": {"type": "string"},
            "$defs": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}}
          },
          "$defs": {
            "anchorString": {"type": "string", "pattern": "^[A-Za-z_][-A-Za-z0-9._]*$"},
            "uriString": {"type": "string", "format": "uri"},
            "uriReferenceString": {"type": "string", "format": "uri-reference"}
          }
        }
        """,
        "meta/applicator": """
        {\(header("meta/applicator", vocabularies: ["applicator"], title: "Applicator vocabulary meta-schema")),
          "properties": {
            "prefixItems": {"$ref": "#/$defs/schemaArray"},
            "items": {"$dynamicRef": "#meta"},
            "contains": {"$dynamicRef": "#meta"},
            "additionalProperties": {"$dynamicRef": "#meta"},
            "properties": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}},
            "patternProperties": {
              "type": "object", "additionalProperties": {"$dynamicRef": "#meta"}, "propertyNames": {"format": "regex"}
            },
            "dependentSchemas": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}},
            "propertyNames": {"$dynamicRef": "#meta"},
            "if": {"$dynamicRef": "#meta"},
            "then": {"$dynamicRef": "#meta"},
            "else": {"$dynamicRef": "#meta"},
            "allOf": {"$ref": "#/$defs/schemaArray"},
            "anyOf": {"$ref": "#/$defs/schemaArray"},
            "oneOf": {"$ref": "#/$defs/schemaArray"},
            "not": {"$dynamicRef": "#meta"}
          },
          "$defs": {"schemaArray": {"type": "array", "minItems": 1, "items": {"$dynamicRef": "#meta"}}}
        }
        """,
        "meta/unevaluated": """
        {\(header("meta/unevaluated", vocabularies: ["unevaluated"], title: "Unevaluated applicator vocabulary meta-schema")),
          "properties": {
            "unevaluatedItems": {"$dynamicRef": "#meta"},
            "unevaluatedProperties": {"$dynamicRef": "#meta"}
          }
        }
        """,
        "meta/validation": """
        {\(header("meta/validation", vocabularies: ["validation"], title: "Validation vocabulary meta-schema")),
          "properties": {
            "type": {
              "anyOf": [
                {"$ref": "#/$defs/simpleTypes"},
                {"type": "array", "items": {"$ref": "#/$defs/simpleTypes"}, "minItems": 1, "uniqueItems": true}
              ]
            },
            "const": true,
            "enum": {"type": "array", "items": true},
            "multipleOf": {"type": "number", "exclusiveMinimum": 0},
            "maximum": {"type": "number"},
            "exclusiveMaximum": {"type": "number"},
            "minimum": {"type": "number"},
            "exclusiveMinimum": {"type": "number"},
            "maxLength": {"$ref": "#/$defs/nonNegativeInteger"},
            "minLength": {"$ref": "#/$defs/nonNegativeIntegerDefault0"},
            "pattern": {"type": "string", "format": "regex"},
            "maxItems": {"$ref": "#/$defs/nonNegativeInteger"},
            "minItems": {"$ref": "#/$defs/nonNegativeIntegerDefault0"},
            "uniqueItems": {"type": "boolean"},
            "maxContains": {"$ref": "#/$defs/nonNegativeInteger"},
            "minContains": {"$ref": "#/$defs/nonNegativeInteger"},
            "maxProperties": {"$ref": "#/$defs/nonNegativeInteger"},
            "minProperties": {"$ref": "#/$defs/nonNegativeIntegerDefault0"},
            "required": {"$ref": "#/$defs/stringArray"},
            "dependentRequired": {"type": "object", "additionalProperties": {"$ref": "#/$defs/stringArray"}}
          },
          "$defs": {
            "nonNegativeInteger": {"type": "integer", "minimum": 0},
            "nonNegativeIntegerDefault0": {"$ref": "#/$defs/nonNegativeInteger", "default": 0},
            "simpleTypes": {"enum": ["array", "boolean", "integer", "null", "number", "object", "string"]},
            "stringArray": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
          }
        }
        """,
        "meta/meta-data": """
        {\(header("meta/meta-data", vocabularies: ["meta-data"], title: "Meta-data vocabulary meta-schema")),
          "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "default": true,
            "deprecated": {"type": "boolean"},
            "readOnly": {"type": "boolean"},
            "writeOnly": {"type": "boolean"},
            "examples": {"type": "array", "items": true}
          }
        }
        """,
        "meta/format-annotation": """
        {\(header("meta/format-annotation", vocabularies: ["format-annotation"], title: "Format vocabulary meta-schema for annotation results")),
          "properties": {"format": {"type": "string"}}
        }
        """,
        "meta/content": """
        {\(header("meta/content", vocabularies: ["content"], title: "Content vocabulary meta-schema")),
          "properties": {
            "contentEncoding": {"type": "string"},
            "contentMediaType": {"type": "string"},
            "contentSchema": {"$dynamicRef": "#meta"}
          }
        }
        """,
    ]
}
