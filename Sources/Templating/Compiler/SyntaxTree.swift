/// The tree a template parses into, before it is flattened into a ``Program``.
enum Node {
    /// Literal bytes, with the offsets where a line of the template begins: an indented
    /// expansion of the template inserts its indentation there.
    case text([UInt8], lineStarts: [Int])
    case variable(Path, escaped: Bool)
    case section(Path, body: [Node])
    case invertedSection(Path, body: [Node])
    /// A standalone partial indents each of its lines; an inline one starts with no indentation.
    case partial(PartialTarget<Path>, isStandalone: Bool, indent: [UInt8])
    case parent(PartialTarget<Path>, arguments: [BlockArgument], isStandalone: Bool, indent: [UInt8])
    case block(BlockNode)
}

/// Content passed to a parent for one of its blocks.
struct BlockArgument {
    var name: String
    var body: [Node]
}

/// A `{{$name}}` block in a template: renders an overriding argument, if one was passed by an
/// inheriting template, or its default content.
struct BlockNode {
    var name: String
    var defaultBody: [Node]
    /// The block stands on its own lines: an override is indented by `indent` on every line.
    var isStandalone: Bool
    var indent: [UInt8]
    /// Whether the default content starts a line, and the whitespace it needs in front, both
    /// dropped from the surrounding text because an override replaces them.
    var defaultStartsLine: Bool
    var leadingWhitespace: [UInt8]
}

/// A name resolved into its dotted components at compile time; no components means `.`.
struct Path: Sendable, Hashable {
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
enum PartialTarget<DynamicName> {
    /// Index of the template in its library, resolved at compile time.
    case template(Int32)
    /// Not in the library (lenient libraries only): expands to nothing.
    case missing
    /// `{{>*name}}`: the template whose name is the value of `name`, found at render time.
    case dynamic(DynamicName)
}

extension PartialTarget: Sendable where DynamicName: Sendable {}
