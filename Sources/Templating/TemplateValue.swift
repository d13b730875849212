/// A value a template renders against.
///
/// View models turn themselves into a `TemplateValue` once per render (see ``TemplateRenderable``);
/// the renderer then walks it without reflection or dynamic casts.
public enum TemplateValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case object(TemplateObject)

    /// Mustache truthiness: `null`, `false`, zero, the empty string and the empty list are falsey.
    ///
    /// Zero and the empty string count as falsey so that `{{#count}}` and `{{#message}}` behave as
    /// page authors expect; the Mustache spec leaves both to the host language.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let items): !items.isEmpty
        case .object: true
        }
    }

    /// The value stored under `key` when this is an object, `nil` otherwise.
    public subscript(key: String) -> TemplateValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }
}

/// A type that can present itself to a template.
///
/// View models adopt it and build their value with literals:
///
/// ```swift
/// struct CardView: TemplateRenderable {
///     var name: String
///     var isBeta: Bool
///     var templateValue: TemplateValue { ["name": .string(name), "isBeta": .bool(isBeta)] }
/// }
/// ```
public protocol TemplateRenderable {
    /// The value the template renders against.
    var templateValue: TemplateValue { get }
}

extension TemplateValue: TemplateRenderable {
    public var templateValue: TemplateValue { self }
}

extension TemplateValue {
    /// Wraps any renderable: a view model, a string, a number, an array or optional of those.
    public init(_ renderable: some TemplateRenderable) {
        self = renderable.templateValue
    }
}

extension String: TemplateRenderable {
    public var templateValue: TemplateValue { .string(self) }
}

extension Int: TemplateRenderable {
    public var templateValue: TemplateValue { .int(self) }
}

extension Double: TemplateRenderable {
    public var templateValue: TemplateValue { .double(self) }
}

extension Bool: TemplateRenderable {
    public var templateValue: TemplateValue { .bool(self) }
}

extension Array: TemplateRenderable where Element: TemplateRenderable {
    public var templateValue: TemplateValue { .list(map(\.templateValue)) }
}

extension Optional: TemplateRenderable where Wrapped: TemplateRenderable {
    public var templateValue: TemplateValue { self?.templateValue ?? .null }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(elements))
    }
}

extension TemplateValue: Equatable {}
