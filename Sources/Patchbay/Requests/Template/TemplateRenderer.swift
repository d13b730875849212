import JSON

/// Walks template nodes, writing text and escaping each inserted value for its context.
struct TemplateRenderer {
    let scopes: JSONObject
    let context: TemplateContext
    let missing: MissingVariables
    var output = ""
    /// For `.jsonText`: whether the text written so far ends inside a string literal.
    private var isInJSONString = false
    private var isAfterBackslash = false

    init(scopes: JSONObject, context: TemplateContext, missing: MissingVariables) {
        self.scopes = scopes
        self.context = context
        self.missing = missing
    }

    /// The variable's value, or its default when the value is absent, null or an empty string.
    static func resolve(_ variable: TemplateVariable, in scopes: JSONObject) -> JSON? {
        let value = variable.path.value(in: scopes)
        guard let fallback = variable.fallback else { return value }
        switch value {
        case nil, .null?: return fallback
        case .string(let text)? where text.isEmpty: return fallback
        default: return value
        }
    }

    mutating func render(_ nodes: [TemplateNode], inSection: Bool) throws(RequestError) {
        for node in nodes {
            switch node {
            case .text(let text):
                writeLiteral(text)
            case .variable(let variable):
                let value = Self.resolve(variable, in: scopes)
                if value == nil, missing == .error, !inSection, !variable.isGuarded {
                    throw .missingVariable(variable.path.description)
                }
                try write(value, of: variable)
            case .section(let section):
                let isPresent = JSON.isPresent(section.path.value(in: scopes))
                if isPresent != section.isInverted { try render(section.children, inSection: true) }
            }
        }
    }

    private mutating func writeLiteral(_ text: String) {
        switch context {
        case .url:
            output += TextEncoding.percentEncodeIllegal(text)
        case .jsonText:
            trackJSONString(text)
            output += text
        case .text, .xml, .formURLEncoded:
            output += text
        }
    }

    private mutating func write(_ value: JSON?, of variable: TemplateVariable) throws(RequestError) {
        let text = value?.templateText ?? ""
        switch context {
        case .text:
            output += text
        case .url:
            try Self.refuseDotSegments(text, of: variable)
            output +=
                variable.isRaw
                ? TextEncoding.percentEncodeIllegal(text) : TextEncoding.percentEncodeComponent(text)
        case .xml:
            output += variable.isRaw ? text : TextEncoding.xmlEscape(text)
        case .formURLEncoded:
            output += variable.isRaw ? text : TextEncoding.formEncode(text)
        case .jsonText:
            if isInJSONString {
                // The serializer escapes; the quotes it adds are the template's own.
                let quoted = JSON.string(text).serializedString()
                output += quoted.dropFirst().dropLast()
            } else {
                output += (value ?? .null).serializedString()
            }
        }
    }

    /// `..` as a path segment would climb out of the path the template fixes, and URL parsers resolve
    /// `%2e%2e` the same way, so encoding the dots is no defence: such values are refused. (An encoded
    /// `{{x}}` turns `%` into `%25`, so there only literal dots matter.)
    private static func refuseDotSegments(_ text: String, of variable: TemplateVariable) throws(RequestError)
    {
        let segments =
            variable.isRaw ? text.split(separator: "/", omittingEmptySubsequences: false) : [text[...]]
        for segment in segments
        where variable.isRaw ? isDotSegment(segment) : (segment == "." || segment == "..") {
            throw .invalidValue("the value of \(variable.path) is or contains a '.' or '..' path segment")
        }
    }

    private static func isDotSegment(_ segment: Substring) -> Bool {
        guard segment.utf8.count <= 6 else { return false }
        let normalized = segment.lowercased().replacing("%2e", with: ".")
        return normalized == "." || normalized == ".."
    }

    private mutating func trackJSONString(_ text: String) {
        for byte in text.utf8 {
            if isInJSONString {
                if isAfterBackslash {
                    isAfterBackslash = false
                } else if byte == UInt8(ascii: "\\") {
                    isAfterBackslash = true
                } else if byte == UInt8(ascii: "\"") {
                    isInJSONString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                isInJSONString = true
            }
        }
    }
}
