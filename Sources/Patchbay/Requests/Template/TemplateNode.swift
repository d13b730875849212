import JSON

/// One piece of a compiled template.
enum TemplateNode: Sendable, Hashable {
    case text(String)
    case variable(TemplateVariable)
    case section(TemplateSection)
}

/// `{{path}}`, `{{{path}}}` or `{{path | default: value}}`.
struct TemplateVariable: Sendable, Hashable {
    var path: JSONPath
    /// Written with three braces (or `&`): inserted as is, where the context allows.
    var isRaw: Bool
    /// The `default:` value, used when the path is absent, null or an empty string.
    var fallback: JSON?
    /// The same template tests this path with a section, which marks it optional: the
    /// `{{input.x}}{{^input.x}}{{config.x}}{{/input.x}}` idiom must not fail when `input.x` is absent.
    var isGuarded = false
}

/// `{{#path}}…{{/path}}` (rendered when the value is present and not empty) or `{{^path}}…{{/path}}`
/// (rendered when it is absent or empty).
struct TemplateSection: Sendable, Hashable {
    var path: JSONPath
    var isInverted: Bool
    var children: [TemplateNode]
}

extension JSON {
    /// Whether a section on this value renders: absent, null, false, "", [] and {} count as empty.
    /// Zero counts as present, as in Mustache.
    static func isPresent(_ value: JSON?) -> Bool {
        switch value {
        case nil, .null?, .bool(false)?: false
        case .string(let text)?: !text.isEmpty
        case .array(let items)?: !items.isEmpty
        case .object(let members)?: !members.isEmpty
        default: true
        }
    }

    /// The value as text: strings as they are, integers without `.0`, other numbers in shortest
    /// round-trip form, booleans as `true`/`false`, null as nothing, arrays and objects as compact JSON.
    var templateText: String {
        switch self {
        case .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number):
            if !number.isFinite {
                ""
            } else if number.rounded(.towardZero) == number, abs(number) < 1e15,
                let exact = Int64(exactly: number)
            {
                String(exact)
            } else {
                number.description
            }
        case .string(let text): text
        case .array, .object: serializedString()
        }
    }
}
