/// Where something sits in a template source.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The template's name in its library (`pages/catalog`).
    public var template: String
    /// The file it was read from, or the template name for in-memory sources.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    public init(template: String, file: String, line: Int, column: Int) {
        self.template = template
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Everything that can go wrong in this module.
///
/// Syntax errors and missing partials are found when a library is compiled, never while rendering.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Malformed template text: unclosed tag or section, mismatched closing tag, bad delimiters...
    case syntax(String, at: SourceLocation)
    /// A partial or parent tag names a template the library does not have.
    case missingPartial(String, at: SourceLocation)
    /// A template file or folder could not be read.
    case unreadable(path: String, reason: String)
    /// `render` was asked for a template the library does not have.
    case unknownTemplate(String)
    /// `render(_:block:_:)` was asked for a block that no template of the chain has.
    case unknownBlock(String, template: String)

    /// The location of the problem, when it comes from a template's text.
    public var location: SourceLocation? {
        switch self {
        case .syntax(_, let location), .missingPartial(_, let location): location
        case .unreadable, .unknownTemplate, .unknownBlock: nil
        }
    }

    public var description: String {
        switch self {
        case .syntax(let message, let location):
            "\(location): \(message)"
        case .missingPartial(let name, let location):
            "\(location): no template named '\(name)'"
        case .unreadable(let path, let reason):
            "cannot read templates at \(path): \(reason)"
        case .unknownTemplate(let name):
            "no template named '\(name)'"
        case .unknownBlock(let block, let template):
            "template '\(template)' and its parents have no block named '\(block)'"
        }
    }
}
