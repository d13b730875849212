/// Turns analysed tokens into the node tree, resolving partial and parent names to library indices.
struct TreeBuilder {
    private let source: SourceText
    private let tokens: [Token]
    /// Library index of every template name.
    private let templateIndices: [String: Int]
    private let failsOnMissingPartials: Bool

    static func build(
        _ tokens: [Token], in source: SourceText, templateIndices: [String: Int], failsOnMissingPartials: Bool
    ) throws(TemplateError) -> [Node] {
        let builder = TreeBuilder(
            source: source, tokens: tokens, templateIndices: templateIndices,
            failsOnMissingPartials: failsOnMissingPartials)
        var startsLine = true
        var body = NodeList()
        try builder.build(0..<tokens.count, into: &body, startsLine: &startsLine)
        return body.nodes
    }

    private init(
        source: SourceText, tokens: [Token], templateIndices: [String: Int], failsOnMissingPartials: Bool
    ) {
        self.source = source
        self.tokens = tokens
        self.templateIndices = templateIndices
        self.failsOnMissingPartials = failsOnMissingPartials
    }

    /// Builds the nodes for `range`. `startsLine` tracks whether the next output starts a line of
    /// this template, which is where an indented expansion inserts its indentation.
    private func build(_ range: Range<Int>, into body: inout NodeList, startsLine: inout Bool)
        throws(TemplateError)
    {
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            index += 1
            if token.isRemoved { continue }
            switch token.kind {
            case .text:
                guard token.start < token.end else { continue }
                if startsLine { body.appendLineStart() }
                startsLine = false
                body.appendText(source.bytes[token.start..<token.end])
            case .newline:
                body.appendText(source.bytes[token.start..<token.end])
                startsLine = true
            case .tag(let kind):
                if !(token.isStandalone || token.isPairStandalone) && startsLine {
                    body.appendLineStart()
                    startsLine = false
                }
                if kind.opensElement {
                    try buildElement(at: index - 1, into: &body, startsLine: &startsLine)
                    index = token.partner + 1
                } else {
                    try buildLeaf(token, kind: kind, into: &body)
                }
            }
        }
    }

    private func buildLeaf(_ token: Token, kind: TagKind, into body: inout NodeList) throws(TemplateError) {
        switch kind {
        case .variable(let escaped):
            body.append(.variable(try path(token), escaped: escaped))
        case .partial(let dynamic):
            let target: PartialTarget<Path>
            if dynamic {
                target = .dynamic(try path(token))
            } else {
                target = try self.target(of: token)
            }
            body.append(.partial(target, isStandalone: token.isStandalone, indent: token.indent))
        case .comment, .setDelimiters:
            break
        case .close, .section, .inverted, .parent, .block:
            // Elements are built by `buildElement`, which skips past their closing tag.
            throw source.syntaxError("unexpected tag '\(token.name)'", at: token.start)
        }
    }

    private func buildElement(at index: Int, into body: inout NodeList, startsLine: inout Bool)
        throws(TemplateError)
    {
        let token = tokens[index]
        let closer = tokens[token.partner]
        let contentRange = index + 1..<token.partner
        switch token.tagKind {
        case .parent:
            let arguments = try buildArguments(contentRange)
            body.append(
                .parent(
                    try target(of: token), arguments: arguments, isStandalone: token.isPairStandalone,
                    indent: token.indent))
            if !token.isPairStandalone { startsLine = closer.isStandalone }
            return
        case .block where token.isPairStandalone:
            // Its own line start travels with the default content (see `Block.defaultStartsLine`).
            let defaultStartsLine = startsLine && !token.isStandalone
            if !token.isStandalone { startsLine = false }
            let content = try buildContent(contentRange, closer: closer, startsLine: &startsLine)
            body.append(
                .block(
                    BlockNode(
                        name: token.name, defaultBody: content, isStandalone: true, indent: token.indent,
                        defaultStartsLine: defaultStartsLine, leadingWhitespace: token.leadingWhitespace)))
        case .block:
            let content = try buildContent(contentRange, closer: closer, startsLine: &startsLine)
            body.append(
                .block(
                    BlockNode(
                        name: token.name, defaultBody: content, isStandalone: false, indent: [],
                        defaultStartsLine: false, leadingWhitespace: [])))
        case .section:
            let content = try buildContent(contentRange, closer: closer, startsLine: &startsLine)
            body.append(.section(try path(token), body: content))
        case .inverted:
            let content = try buildContent(contentRange, closer: closer, startsLine: &startsLine)
            body.append(.invertedSection(try path(token), body: content))
        default:
            throw source.syntaxError("unexpected tag '\(token.name)'", at: token.start)
        }
    }

    /// The content of a section or block. A closing tag that starts a line (without standing
    /// alone) keeps that line start inside the content, where the template text puts it.
    private func buildContent(_ range: Range<Int>, closer: Token, startsLine: inout Bool)
        throws(TemplateError)
        -> [Node]
    {
        var content = NodeList()
        try build(range, into: &content, startsLine: &startsLine)
        if startsLine && !closer.isStandalone {
            content.appendLineStart()
            startsLine = false
        }
        return content.nodes
    }

    /// The blocks passed to a parent. Anything else between the parent's tags is ignored, as the
    /// spec asks, except elements, which would otherwise hide blocks: those are errors.
    private func buildArguments(_ range: Range<Int>) throws(TemplateError) -> [BlockArgument] {
        var arguments: [BlockArgument] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            index += 1
            guard let kind = token.tagKind, kind.opensElement else { continue }
            guard kind == .block else {
                throw source.syntaxError(
                    "only blocks ({{$name}}) may appear inside parent tag '\(tokens[range.lowerBound - 1].name)'",
                    at: token.start)
            }
            if arguments.contains(where: { $0.name == token.name }) {
                throw source.syntaxError("block '\(token.name)' is passed twice", at: token.start)
            }
            // An argument is rendered where the parent's block sits; that site decides whether
            // its first line is indented, so the content does not start with a line start.
            var startsLine = false
            var content = NodeList()
            try build(index..<token.partner, into: &content, startsLine: &startsLine)
            arguments.append(BlockArgument(name: token.name, body: content.nodes))
            index = token.partner + 1
        }
        return arguments
    }

    private func path(_ token: Token) throws(TemplateError) -> Path {
        let path = Path(token.name)
        guard path.isValid else { throw source.syntaxError("invalid name '\(token.name)'", at: token.start) }
        return path
    }

    private func target(of token: Token) throws(TemplateError) -> PartialTarget<Path> {
        if let index = templateIndices[token.name] { return .template(Int32(index)) }
        if failsOnMissingPartials { throw .missingPartial(token.name, at: source.location(of: token.start)) }
        return .missing
    }
}

/// Collects nodes, merging adjacent text and line starts into single text nodes.
struct NodeList {
    private(set) var nodes: [Node] = []

    mutating func append(_ node: Node) {
        nodes.append(node)
    }

    mutating func appendText(_ bytes: ArraySlice<UInt8>) {
        modifyLastText { text, _ in text += bytes }
    }

    mutating func appendLineStart() {
        modifyLastText { text, lineStarts in lineStarts.append(text.count) }
    }

    private mutating func modifyLastText(_ change: (inout [UInt8], inout [Int]) -> Void) {
        var text: [UInt8] = []
        var lineStarts: [Int] = []
        if case .text(let lastText, let lastLineStarts) = nodes.last {
            nodes.removeLast()
            text = lastText
            lineStarts = lastLineStarts
        }
        change(&text, &lineStarts)
        nodes.append(.text(text, lineStarts: lineStarts))
    }
}
