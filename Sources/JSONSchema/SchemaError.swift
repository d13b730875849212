/// Why a schema could not be compiled: the problem and the JSON Pointer of where it is.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A keyword whose value has the wrong type or is out of range (e.g. `"minLength": -1`).
        case invalidKeyword
        /// A `pattern`/`patternProperties` key that is not a valid ECMA-262 regular expression.
        case invalidPattern
        /// A `$ref`/`$dynamicRef` that points at nothing known.
        case unresolvableReference
        /// Malformed schema text.
        case invalidJSON
    }

    public let kind: Kind
    /// Where the problem is: a JSON Pointer into the schema (prefixed with the document's URI and `#`
    /// when the problem is in a registered document other than the one being compiled).
    public let schemaLocation: String
    public let message: String

    public init(kind: Kind, schemaLocation: String, message: String) {
        self.kind = kind
        self.schemaLocation = schemaLocation
        self.message = message
    }

    public var description: String {
        schemaLocation.isEmpty ? "\(message) (at the schema root)" : "\(message) (at \(schemaLocation))"
    }
}
