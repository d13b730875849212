import JSON

/// A request template, compiled once and rendered many times against scopes (`config`, `auth`,
/// `input`, `contact`, `workspace`, `steps`, …) given as one JSON object.
///
/// Syntax: `{{a.b}}`, `{{{a.b}}}` (or `{{& a.b}}`), paths with `[n]` indexes and quoted keys
/// (`{{steps.lookup.response.items[0].id}}`), sections `{{#x}}…{{/x}}` (x present and not empty) and
/// `{{^x}}…{{/x}}` (x absent or empty), comments `{{! … }}`, and a default filter
/// `{{contact.city | default: "unknown"}}` (also `'unknown'`, `42`, `true`, `null`). Sections test a
/// value; they neither loop over arrays nor change the scope. Text outside tags is kept exactly.
///
/// A variable that is absent and has no default fails the render (`missing variable contact.phone`),
/// except inside a section, when the same template tests its path with a section (the
/// `{{input.x}}{{^input.x}}{{config.x}}{{/input.x}}` idiom), or when the caller asks for `.empty`.
public struct RequestTemplate: Sendable, Hashable, CustomStringConvertible {
    /// The text the template was compiled from.
    public let source: String
    let nodes: [TemplateNode]

    /// Compiles `source`; throws a `.syntax` error with the offset of the faulty tag.
    public init(_ source: String) throws(RequestError) {
        var parser = TemplateParser(source)
        self.source = source
        self.nodes = try parser.parse()
    }

    public var description: String { source }

    /// Whether the template has no tags at all.
    public var isConstant: Bool {
        nodes.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// The variable, when the template is exactly one variable tag and nothing else (not even spaces):
    /// such a template yields the value with its own JSON type in a JSON body.
    var soleVariable: TemplateVariable? {
        guard nodes.count == 1, case .variable(let variable) = nodes[0] else { return nil }
        return variable
    }

    /// Whether the template is exactly one variable tag.
    public var isSoleTag: Bool { soleVariable != nil }

    /// Every path the template reads, variables and sections alike, in order of appearance.
    public var referencedPaths: [JSONPath] {
        var paths: [JSONPath] = []
        Self.collect(nodes, into: &paths)
        return paths
    }

    private static func collect(_ nodes: [TemplateNode], into paths: inout [JSONPath]) {
        for node in nodes {
            switch node {
            case .text: continue
            case .variable(let variable): paths.append(variable.path)
            case .section(let section):
                paths.append(section.path)
                collect(section.children, into: &paths)
            }
        }
    }

    /// Renders the template as text for `context`, which decides how inserted values are escaped.
    public func render(
        _ scopes: JSONObject, in context: TemplateContext = .text, missing: MissingVariables = .error
    ) throws(RequestError) -> String {
        var renderer = TemplateRenderer(scopes: scopes, context: context, missing: missing)
        try renderer.render(nodes, inSection: false)
        return renderer.output
    }

    /// The template's value for a JSON body: a sole tag yields its value with its own JSON type (nil
    /// when absent and `missing` is `.empty`); anything else renders as a string.
    public func evaluate(_ scopes: JSONObject, missing: MissingVariables = .error) throws(RequestError)
        -> JSON?
    {
        guard let variable = soleVariable else {
            return .string(try render(scopes, missing: missing))
        }
        if let value = TemplateRenderer.resolve(variable, in: scopes) { return value }
        if missing == .error, !variable.isGuarded { throw .missingVariable(variable.path.description) }
        return nil
    }
}

/// Where rendered text lands, which decides how each inserted value is escaped.
public enum TemplateContext: Sendable, Hashable {
    /// Header values, query values, raw bodies: values inserted as text, unescaped.
    case text
    /// A URL: `{{x}}` percent-encodes all but `A–Z a–z 0–9 - . _ ~`; `{{{x}}}` encodes only characters
    /// illegal in a URL. Either refuses a value that is (or, raw, contains) a `.` or `..` path segment.
    case url
    /// An XML body: `{{x}}` escapes `& < > " '`; `{{{x}}}` inserts as is.
    case xml
    /// A form-urlencoded body written as text: `{{x}}` is form-encoded; `{{{x}}}` inserts as is.
    case formURLEncoded
    /// JSON text: inside string literals values are JSON-escaped; elsewhere they are written as JSON
    /// values (strings quoted, absent as `null`).
    case jsonText
}

/// What an absent variable (outside sections, unguarded, without default) does.
public enum MissingVariables: Sendable, Hashable {
    /// Fails the render with `missing variable <path>`.
    case error
    /// Renders as nothing (Mustache behaviour).
    case empty
}
