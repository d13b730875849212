/// Cuts a template into text, line-end and tag tokens, following set-delimiter tags as it goes.
struct Lexer {
    private let source: SourceText
    private var openDelimiter: [UInt8] = Array("{{".utf8)
    private var closeDelimiter: [UInt8] = Array("}}".utf8)
    private var tokens: [Token] = []

    init(source: SourceText) {
        self.source = source
    }

    static func tokenize(_ source: SourceText) throws(TemplateError) -> [Token] {
        var lexer = Lexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    private mutating func run() throws(TemplateError) {
        var position = 0
        while position < source.count {
            let tagStart = source.find(openDelimiter, from: position) ?? source.count
            appendText(position..<tagStart)
            guard tagStart < source.count else { break }
            position = try readTag(at: tagStart)
        }
    }

    /// Appends literal text, split so that every line end is a token of its own.
    private mutating func appendText(_ range: Range<Int>) {
        var lineStart = range.lowerBound
        for position in range where source[position] == UInt8(ascii: "\n") {
            let hasReturn = position > lineStart && source[position - 1] == UInt8(ascii: "\r")
            let newlineStart = hasReturn ? position - 1 : position
            if newlineStart > lineStart {
                tokens.append(Token(kind: .text, start: lineStart, end: newlineStart))
            }
            tokens.append(Token(kind: .newline, start: newlineStart, end: position + 1))
            lineStart = position + 1
        }
        if lineStart < range.upperBound {
            tokens.append(Token(kind: .text, start: lineStart, end: range.upperBound))
        }
    }

    /// Reads the tag starting at `tagStart` and returns the position just past it.
    private mutating func readTag(at tagStart: Int) throws(TemplateError) -> Int {
        var contentStart = tagStart + openDelimiter.count
        guard contentStart < source.count else {
            throw source.syntaxError("unclosed tag: missing '\(closeText)'", at: tagStart)
        }
        let sigil = source[contentStart]
        let kind: TagKind
        var terminator = closeDelimiter
        switch sigil {
        case UInt8(ascii: "!"): kind = .comment
        case UInt8(ascii: "="): kind = .setDelimiters; terminator = Array("=".utf8) + closeDelimiter
        case UInt8(ascii: "{"):
            kind = .variable(escaped: false); terminator = Array("}".utf8) + closeDelimiter
        case UInt8(ascii: "&"): kind = .variable(escaped: false)
        case UInt8(ascii: "#"): kind = .section
        case UInt8(ascii: "^"): kind = .inverted
        case UInt8(ascii: "/"): kind = .close
        case UInt8(ascii: ">"): kind = .partial(dynamic: false)
        case UInt8(ascii: "<"): kind = .parent
        case UInt8(ascii: "$"): kind = .block
        default: kind = .variable(escaped: true)
        }
        if kind != .variable(escaped: true) { contentStart += 1 }
        guard let contentEnd = source.find(terminator, from: contentStart) else {
            let expected = String(decoding: terminator, as: UTF8.self)
            throw source.syntaxError("unclosed tag: missing '\(expected)'", at: tagStart)
        }
        let tagEnd = contentEnd + terminator.count
        var token = Token(kind: .tag(kind), start: tagStart, end: tagEnd)
        switch kind {
        case .comment:
            break
        case .setDelimiters:
            try changeDelimiters(source.string(contentStart..<contentEnd), at: tagStart)
        default:
            var name = trimmed(source.string(contentStart..<contentEnd))
            if kind == .partial(dynamic: false), name.hasPrefix("*") {
                token.kind = .tag(.partial(dynamic: true))
                name = trimmed(String(name.dropFirst()))
            }
            try validate(name: name, at: tagStart)
            token.name = name
        }
        tokens.append(token)
        return tagEnd
    }

    private mutating func changeDelimiters(_ content: String, at offset: Int) throws(TemplateError) {
        let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else {
            throw source.syntaxError(
                "bad set-delimiter tag: expected two delimiters without '=', like {{=<% %>=}}", at: offset)
        }
        openDelimiter = Array(parts[0].utf8)
        closeDelimiter = Array(parts[1].utf8)
    }

    private func validate(name: String, at offset: Int) throws(TemplateError) {
        if name.isEmpty {
            throw source.syntaxError("empty tag name", at: offset)
        }
        if name.contains(where: \.isWhitespace) {
            throw source.syntaxError("tag name '\(name)' contains whitespace", at: offset)
        }
    }

    private func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private var closeText: String { String(decoding: closeDelimiter, as: UTF8.self) }
}
