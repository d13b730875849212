/// Matches opening and closing tags, then decides which whitespace and line ends the output drops
/// and how far expanded partials, parents and blocks are indented.
///
/// The rules follow the Mustache spec and its whitespace notes (`specs/whitespace.md` upstream):
/// - a non-interpolation tag alone on its line is *standalone*: its line's whitespace and line end
///   are dropped; a standalone partial indents every line of the partial by that whitespace;
/// - a parent element, or a block that is not a parent's argument, whose opening tag starts its
///   line and whose closing tag ends its line is a *standalone pair*: the opening tag's leading
///   whitespace becomes indentation, and for parents the closing line end is dropped;
/// - a block whose opening tag ends its line has an *intrinsic indentation*: the leading whitespace
///   of the next line. Argument blocks strip it from every line of their content; parameter blocks
///   use it to indent what overrides them.
struct WhitespaceAnalyzer {
    private let source: SourceText
    private var tokens: [Token]
    /// Line number of each token, and the token range of each line.
    private var lineOfToken: [Int] = []
    private var lines: [Range<Int>] = []

    static func analyze(_ tokens: [Token], in source: SourceText) throws(TemplateError) -> [Token] {
        var analyzer = WhitespaceAnalyzer(source: source, tokens: tokens)
        analyzer.indexLines()
        try analyzer.matchElements()
        analyzer.markStandaloneLines()
        analyzer.markStandalonePairs()
        return analyzer.tokens
    }

    private init(source: SourceText, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    private mutating func indexLines() {
        var lineStart = 0
        lineOfToken.reserveCapacity(tokens.count)
        for index in tokens.indices {
            lineOfToken.append(lines.count)
            if tokens[index].kind == .newline {
                lines.append(lineStart..<index + 1)
                lineStart = index + 1
            }
        }
        lines.append(lineStart..<tokens.count)
    }

    // MARK: Element matching and argument indentation

    private struct OpenElement {
        var index: Int
        /// For argument blocks whose opening tag ends its line: the indentation stripped from each
        /// content line, measured on the first one (`nil` until then).
        var stripsIndent: Bool
        var intrinsicIndent: [UInt8]?
    }

    private mutating func matchElements() throws(TemplateError) {
        var open: [OpenElement] = []
        for index in tokens.indices {
            let line = lineOfToken[index]
            if line > 0 && lines[line].lowerBound == index {
                stripArgumentIndents(lineStart: index, open: &open)
            }
            guard let kind = tokens[index].tagKind else { continue }
            if kind.opensElement {
                let isArgument =
                    kind == .block && open.last.map { tokens[$0.index].tagKind == .parent } == true
                tokens[index].isArgument = isArgument
                let endsLine = isArgument && clearsRight(index)
                if endsLine { removeRest(ofLineAfter: index) }
                open.append(OpenElement(index: index, stripsIndent: endsLine, intrinsicIndent: nil))
            } else if kind == .close {
                try close(index, open: &open)
            }
        }
        if let unclosed = open.last {
            let token = tokens[unclosed.index]
            throw source.syntaxError("unclosed section '\(token.name)'", at: token.start)
        }
    }

    private mutating func close(_ index: Int, open: inout [OpenElement]) throws(TemplateError) {
        let name = tokens[index].name
        guard let top = open.last else {
            throw source.syntaxError(
                "closing tag '\(name)' has no matching opening tag", at: tokens[index].start)
        }
        let opener = tokens[top.index]
        guard opener.name == name else {
            let opened = source.location(of: opener.start)
            throw source.syntaxError(
                "closing tag '\(name)' does not match '\(opener.name)' opened at line \(opened.line), "
                    + "column \(opened.column)", at: tokens[index].start)
        }
        tokens[top.index].partner = index
        tokens[index].partner = top.index
        open.removeLast()
    }

    /// Removes, from the line starting at `lineStart`, the intrinsic indentation of every enclosing
    /// argument block, outermost first, so that nested blocks measure theirs relative to it.
    private mutating func stripArgumentIndents(lineStart index: Int, open: inout [OpenElement]) {
        for level in open.indices where open[level].stripsIndent {
            let isText = tokens[index].kind == .text
            let range = tokens[index].start..<tokens[index].end
            let indent = open[level].intrinsicIndent ?? (isText ? source.leadingBlanks(range) : [])
            open[level].intrinsicIndent = indent
            if isText && !indent.isEmpty && source.bytes[range].starts(with: indent) {
                tokens[index].start += indent.count
            }
        }
    }

    // MARK: Standalone tags and pairs

    private mutating func markStandaloneLines() {
        for line in lines {
            var tag: Int?
            var isCandidate = true
            for index in line {
                switch tokens[index].kind {
                case .text: isCandidate = isCandidate && isBlankText(index)
                case .newline: break
                case .tag(let kind):
                    isCandidate = isCandidate && tag == nil && kind.canStandAlone
                    tag = index
                }
            }
            guard isCandidate, let tag else { continue }
            tokens[tag].isStandalone = true
            if case .partial = tokens[tag].tagKind { tokens[tag].indent = leadingBlanks(before: tag) }
            for index in line where tokens[index].tagKind == nil { tokens[index].isRemoved = true }
        }
    }

    private mutating func markStandalonePairs() {
        for index in tokens.indices {
            let kind = tokens[index].tagKind
            guard kind == .parent || (kind == .block && !tokens[index].isArgument) else { continue }
            let closer = tokens[index].partner
            guard clearsLeft(index), clearsRight(closer) else { continue }
            let leading = leadingBlanks(before: index)
            tokens[index].isPairStandalone = true
            if kind == .parent {
                tokens[index].indent = leading
                removeRest(ofLineAfter: closer)
            } else {
                if !tokens[index].isStandalone { tokens[index].leadingWhitespace = leading }
                tokens[index].indent = clearsRight(index) ? indentOfLine(after: index) : leading
            }
            for position in lines[lineOfToken[index]] where position < index {
                tokens[position].isRemoved = true
            }
        }
    }

    // MARK: Line helpers

    private func isBlankText(_ index: Int) -> Bool {
        tokens[index].kind == .text && source.isBlank(tokens[index].start..<tokens[index].end)
    }

    /// Only blank text precedes the token on its line.
    private func clearsLeft(_ index: Int) -> Bool {
        lines[lineOfToken[index]].prefix(while: { $0 < index }).allSatisfy(isBlankText)
    }

    /// Only blank text follows the token on its line.
    private func clearsRight(_ index: Int) -> Bool {
        lines[lineOfToken[index]].drop(while: { $0 <= index }).allSatisfy {
            isBlankText($0) || tokens[$0].kind == .newline
        }
    }

    private mutating func removeRest(ofLineAfter index: Int) {
        for position in lines[lineOfToken[index]] where position > index { tokens[position].isRemoved = true }
    }

    private func leadingBlanks(before index: Int) -> [UInt8] {
        var blanks: [UInt8] = []
        for position in lines[lineOfToken[index]] where position < index {
            blanks += source.bytes[tokens[position].start..<tokens[position].end]
        }
        return blanks
    }

    /// The leading whitespace of the line after the token's line.
    private func indentOfLine(after index: Int) -> [UInt8] {
        let next = lineOfToken[index] + 1
        guard next < lines.count, let first = lines[next].first, tokens[first].kind == .text else {
            return []
        }
        return source.leadingBlanks(tokens[first].start..<tokens[first].end)
    }
}
