/// A compiled template: a tree of nodes rendered without any further parsing.
enum Node: Sendable {
    case text(Text)
    case variable(Path, escaped: Bool)
    case section(Path, body: [Node])
    case invertedSection(Path, body: [Node])
    case partial(PartialCall)
    case parent(ParentCall)
    case block(Block)
}

/// Literal bytes, pre-encoded, with the offsets where a line of the template begins: when the
/// template is expanded by an indented standalone partial, the indentation goes there.
struct Text: Sendable {
    var bytes: [UInt8]
    var lineStarts: [Int]
}

/// A name resolved into its dotted components at compile time; no components means `.`.
struct Path: Sendable, Equatable {
    let head: String?
    let tail: [String]

    init(_ name: String) {
        if name == "." {
            head = nil
            tail = []
        } else {
            let components = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            head = components[0]
            tail = Array(components.dropFirst())
        }
    }

    var isValid: Bool {
        guard let head else { return true }
        return !head.isEmpty && !tail.contains(where: \.isEmpty)
    }
}

/// Which template a partial or parent tag expands to.
enum PartialTarget: Sendable {
    /// Index of the template in its library, resolved at compile time.
    case template(Int)
    /// Not in the library (lenient libraries only): expands to nothing.
    case missing
    /// `{{>*name}}`: the template whose name is the value of `name`, found at render time.
    case dynamic(Path)
}

struct PartialCall: Sendable {
    var target: PartialTarget
    /// A standalone partial indents each of its lines; an inline one starts with no indentation.
    var isStandalone: Bool
    var indent: [UInt8]
}

struct ParentCall: Sendable {
    var target: PartialTarget
    var arguments: [BlockArgument]
    var isStandalone: Bool
    var indent: [UInt8]
}

/// Content passed to a parent for one of its blocks.
struct BlockArgument: Sendable {
    var name: String
    var body: [Node]
}

/// A `{{$name}}` block in a template: renders an overriding argument, if one was passed by an
/// inheriting template, or its default content.
struct Block: Sendable {
    var name: String
    var defaultBody: [Node]
    /// The block stands on its own lines: an override is indented by `indent` on every line.
    var isStandalone: Bool
    var indent: [UInt8]
    /// What the default content needs in front of it in place of the dropped whitespace.
    var defaultStartsLine: Bool
    var leadingWhitespace: [UInt8]
}
