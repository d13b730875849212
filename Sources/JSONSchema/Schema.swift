import JSON

/// A compiled JSON Schema (2020-12 or draft-07), ready to validate instances many times.
///
/// ```swift
/// let schema = try Schema(json)
/// let result = schema.validate(config)
/// if !result.isValid { print(result.fieldErrors) }  // ["auth.api_key": ["is required"]]
/// ```
public struct Schema: Sendable {
    /// The schema as given.
    public let source: JSON
    let nodes: [SchemaNode]
    let root: NodeID
    let dynamicAnchors: [Int: [String: NodeID]]
    let usesDynamicScope: Bool
    /// Every document used, for resolving `$ref` when building forms.
    let index: ResourceIndex

    /// Compiles `json`. Fails with the JSON Pointer of the problem if the schema is itself invalid:
    /// keywords of the wrong type, an invalid regular expression, an unresolvable `$ref`.
    public init(_ json: JSON, options: SchemaOptions = SchemaOptions()) throws(SchemaError) {
        var compiler = SchemaCompiler(options: options)
        let document = compiler.index.addDocument(
            json, uri: URIReference(options.baseURI), name: options.baseURI)
        root = try compiler.compile(at: SchemaLocation(document: document, pointer: ""))
        dynamicAnchors = compiler.usesDynamicScope ? try compiler.compileDynamicAnchors() : [:]
        usesDynamicScope = compiler.usesDynamicScope
        nodes = compiler.nodes
        index = compiler.index
        source = json
    }

    /// Parses and compiles schema text.
    public init(parsing text: String, options: SchemaOptions = SchemaOptions()) throws(SchemaError) {
        let json: JSON
        do {
            json = try JSON(parsing: text)
        } catch {
            throw SchemaError(
                kind: .invalidJSON, schemaLocation: "", message: "the schema is not valid JSON: \(error)")
        }
        try self.init(json, options: options)
    }

    /// Checks `instance` and reports every problem with its location and a readable message.
    public func validate(_ instance: JSON) -> ValidationResult {
        var validator = Validator(schema: self, isRecording: true)
        var none: Annotations? = nil
        _ = validator.validate(root, instance, annotations: &none)
        return ValidationResult(errors: validator.errors)
    }

    /// Whether `instance` is valid; stops at the first problem.
    public func isValid(_ instance: JSON) -> Bool {
        var validator = Validator(schema: self, isRecording: false)
        var none: Annotations? = nil
        return validator.validate(root, instance, annotations: &none)
    }
}
