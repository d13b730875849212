/// The kinds of Mustache tag, told apart by the sigil after the opening delimiter.
enum TagKind: Equatable {
    case variable(escaped: Bool)  // {{name}}, {{{name}}}, {{&name}}
    case section  // {{#name}}
    case inverted  // {{^name}}
    case close  // {{/name}}
    case comment  // {{! ... }}
    case setDelimiters  // {{=<% %>=}}
    case partial(dynamic: Bool)  // {{>name}}, {{>*name}}
    case parent  // {{<name}}
    case block  // {{$name}}

    /// Tags that open an element closed by a matching `{{/name}}`.
    var opensElement: Bool {
        switch self {
        case .section, .inverted, .parent, .block: true
        default: false
        }
    }

    /// Interpolations never stand alone on a line; every other tag may.
    var canStandAlone: Bool {
        if case .variable = self { return false }
        return true
    }
}

/// One piece of a template's text, as cut by the lexer and annotated by the whitespace passes.
///
/// Text never spans a line end: each line end is its own `newline` token, which lets the
/// whitespace passes reason line by line.
struct Token {
    enum Kind: Equatable {
        case text
        case newline
        case tag(TagKind)
    }

    var kind: Kind
    /// Byte range in the source: the literal text, or the whole tag with its delimiters.
    var start: Int
    var end: Int
    /// The tag's trimmed content (name, path or partial name), without sigil.
    var name = ""

    // Set by the whitespace passes.
    /// Dropped from the output (whitespace and line ends around standalone tags).
    var isRemoved = false
    /// The only thing on its line apart from whitespace.
    var isStandalone = false
    /// A parent or parameter block whose whole element stands on its own lines.
    var isPairStandalone = false
    /// A block that is a direct child of a parent tag (an argument rather than a parameter).
    var isArgument = false
    /// Index of the matching open or close tag.
    var partner = -1
    /// Indentation added to each line of whatever this tag expands to.
    var indent: [UInt8] = []
    /// Whitespace before a standalone parameter block, written only when its default renders.
    var leadingWhitespace: [UInt8] = []

    init(kind: Kind, start: Int, end: Int, name: String = "") {
        self.kind = kind
        self.start = start
        self.end = end
        self.name = name
    }

    var tagKind: TagKind? {
        if case .tag(let kind) = kind { return kind }
        return nil
    }
}
