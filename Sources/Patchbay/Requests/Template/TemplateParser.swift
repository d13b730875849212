import JSON

/// Turns template text into nodes. Tags are `{{…}}` and `{{{…}}}`; whitespace inside a tag is ignored.
/// Quoted strings inside a tag (in `["key"]` paths or `default:` values) may contain braces.
struct TemplateParser {
    private let bytes: [UInt8]
    private var position = 0
    /// Open sections, innermost last, each with the enclosing level's nodes gathered so far.
    private var stack: [(section: TemplateSection, offset: Int, enclosing: [TemplateNode])] = []
    private var nodes: [TemplateNode] = []

    init(_ source: String) { bytes = Array(source.utf8) }

    mutating func parse() throws(RequestError) -> [TemplateNode] {
        var textStart = 0
        while let open = nextOpening() {
            appendText(textStart..<open)
            try readTag(at: open)
            textStart = position
        }
        appendText(textStart..<bytes.count)
        if let open = stack.last {
            throw .syntax("section \(open.section.path) is never closed", at: open.offset)
        }
        return Self.markGuarded(nodes)
    }

    /// The offset of the next `{{` from `position`, or nil.
    private mutating func nextOpening() -> Int? {
        var index = position
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") { return index }
            index += 1
        }
        position = bytes.count
        return nil
    }

    private mutating func appendText(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        nodes.append(.text(String(decoding: bytes[range], as: UTF8.self)))
    }

    private mutating func readTag(at open: Int) throws(RequestError) {
        let isTriple = open + 2 < bytes.count && bytes[open + 2] == UInt8(ascii: "{")
        let contentStart = open + (isTriple ? 3 : 2)
        let closing = isTriple ? "}}}" : "}}"
        guard let contentEnd = findClosing(Array(closing.utf8), from: contentStart) else {
            throw .syntax("unclosed tag", at: open)
        }
        position = contentEnd + closing.utf8.count
        let content = String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
        let trimmed = content.trimmingTemplateSpace()
        guard let sigil = trimmed.first else { throw .syntax("empty tag", at: open) }
        if isTriple {
            guard !"#^/!&>=".contains(sigil) else {
                throw .syntax("'\(sigil)' cannot open a triple tag", at: open)
            }
            nodes.append(.variable(try variable(trimmed, isRaw: true, at: open)))
            return
        }
        let rest = String(trimmed.dropFirst()).trimmingTemplateSpace()
        switch sigil {
        case "!":
            return
        case "#", "^":
            let section = TemplateSection(
                path: try path(rest, at: open), isInverted: sigil == "^", children: [])
            stack.append((section, open, nodes))
            nodes = []
        case "/":
            try closeSection(try path(rest, at: open), at: open)
        case "&":
            nodes.append(.variable(try variable(rest, isRaw: true, at: open)))
        case ">":
            throw .syntax("partials are not supported", at: open)
        case "=":
            throw .syntax("changing delimiters is not supported", at: open)
        default:
            nodes.append(.variable(try variable(trimmed, isRaw: false, at: open)))
        }
    }

    /// Ends the innermost section: its children are the nodes gathered since it opened.
    private mutating func closeSection(_ path: JSONPath, at offset: Int) throws(RequestError) {
        guard var open = stack.popLast() else {
            throw .syntax("{{/\(path)}} closes no open section", at: offset)
        }
        guard open.section.path == path else {
            throw .syntax("{{/\(path)}} closes section \(open.section.path)", at: offset)
        }
        open.section.children = nodes
        nodes = open.enclosing + [.section(open.section)]
    }

    /// The offset where `closing` starts, skipping quoted strings; nil if the tag never closes.
    private func findClosing(_ closing: [UInt8], from start: Int) -> Int? {
        var index = start
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == open {
                    quote = nil
                }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == closing[0], index + closing.count <= bytes.count,
                bytes[index..<index + closing.count].elementsEqual(closing)
            {
                return index
            }
            index += 1
        }
        return nil
    }

    private func path(_ text: String, at offset: Int) throws(RequestError) -> JSONPath {
        guard !text.hasPrefix("$") else {
            throw .syntax("a variable must start with a scope name", at: offset)
        }
        do {
            return try JSONPath(text)
        } catch {
            throw RequestError(.syntax, "\(error.message), in the tag at offset \(offset)")
        }
    }

    private func variable(_ text: String, isRaw: Bool, at offset: Int) throws(RequestError)
        -> TemplateVariable
    {
        guard let bar = Self.filterBar(in: text) else {
            return TemplateVariable(path: try path(text, at: offset), isRaw: isRaw, fallback: nil)
        }
        let pathText = String(text[..<bar]).trimmingTemplateSpace()
        let filter = String(text[text.index(after: bar)...]).trimmingTemplateSpace()
        let fallback = try TemplateDefault.parse(filter, at: offset)
        return TemplateVariable(path: try path(pathText, at: offset), isRaw: isRaw, fallback: fallback)
    }

    /// The first `|` outside quotes.
    private static func filterBar(in text: String) -> String.Index? {
        var quote: Character?
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "|" {
                return index
            }
        }
        return nil
    }

    /// Marks variables whose path some section of the same template tests.
    private static func markGuarded(_ nodes: [TemplateNode]) -> [TemplateNode] {
        var tested: Set<JSONPath> = []
        collectSectionPaths(nodes, into: &tested)
        guard !tested.isEmpty else { return nodes }
        return mark(nodes, tested)
    }

    private static func collectSectionPaths(_ nodes: [TemplateNode], into paths: inout Set<JSONPath>) {
        for case .section(let section) in nodes {
            paths.insert(section.path)
            collectSectionPaths(section.children, into: &paths)
        }
    }

    private static func mark(_ nodes: [TemplateNode], _ tested: Set<JSONPath>) -> [TemplateNode] {
        var marked: [TemplateNode] = []
        marked.reserveCapacity(nodes.count)
        for node in nodes {
            switch node {
            case .text:
                marked.append(node)
            case .variable(var variable):
                variable.isGuarded = tested.contains(variable.path)
                marked.append(.variable(variable))
            case .section(var section):
                section.children = mark(section.children, tested)
                marked.append(.section(section))
            }
        }
        return marked
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingTemplateSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
