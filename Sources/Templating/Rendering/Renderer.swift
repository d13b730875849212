/// Walks a compiled node tree against a value, appending bytes to an output buffer.
///
/// The renderer never fails: lookups that miss render nothing, as Mustache asks, and expansions
/// nested deeper than ``maximumDepth`` (a partial that includes itself unconditionally) stop there.
struct Renderer {
    /// Deepest nesting of partial, parent and block expansions.
    static let maximumDepth = 100

    private let contents: LibraryContents
    var output: [UInt8] = []
    /// The context stack; the innermost frame is last.
    private var context: [TemplateValue] = []
    /// The indentation of enclosing standalone expansions; the active part starts at
    /// `indentationStart` (an inline expansion starts with none).
    private var indentation: [UInt8] = []
    private var indentationStart = 0
    /// Block arguments of the parents being expanded, outermost first.
    private var arguments: [[BlockArgument]] = []
    private var depth = 0

    init(contents: LibraryContents, value: TemplateValue) {
        self.contents = contents
        context.reserveCapacity(16)
        context.append(value)
    }

    mutating func render(_ nodes: [Node]) {
        for node in nodes {
            switch node {
            case .text(let text):
                write(text)
            case .variable(let path, let escaped):
                if let value = lookup(path) { write(value, escaped: escaped) }
            case .section(let path, let body):
                if let value = lookup(path) { renderSection(value, body) }
            case .invertedSection(let path, let body):
                if !(lookup(path)?.isTruthy ?? false) { render(body) }
            case .partial(let call):
                renderPartial(call)
            case .parent(let call):
                renderParent(call)
            case .block(let block):
                renderBlock(block)
            }
        }
    }

    private mutating func renderSection(_ value: TemplateValue, _ body: [Node]) {
        guard value.isTruthy else { return }
        if case .list(let items) = value {
            for item in items {
                context.append(item)
                render(body)
                context.removeLast()
            }
        } else {
            context.append(value)
            render(body)
            context.removeLast()
        }
    }

    /// Mustache name resolution: the first component is looked up from the innermost frame
    /// outwards; the rest descend from what it found, without falling back to outer frames.
    private func lookup(_ path: Path) -> TemplateValue? {
        guard let head = path.head else { return context.last }
        var frame = context.count - 1
        while frame >= 0 {
            if case .object(let object) = context[frame], let found = object[head] {
                var value = found
                for key in path.tail {
                    guard case .object(let inner) = value, let next = inner[key] else { return nil }
                    value = next
                }
                return value
            }
            frame -= 1
        }
        return nil
    }

    // MARK: Expansions

    private mutating func renderPartial(_ call: PartialCall) {
        guard depth < Self.maximumDepth, let index = templateIndex(call.target) else { return }
        let saved = call.isStandalone ? pushIndentation(call.indent) : clearIndentation()
        depth += 1
        render(contents.templates[index])
        depth -= 1
        restoreIndentation(saved)
    }

    private mutating func renderParent(_ call: ParentCall) {
        guard depth < Self.maximumDepth, let index = templateIndex(call.target) else { return }
        let saved = call.isStandalone ? pushIndentation(call.indent) : clearIndentation()
        depth += 1
        arguments.append(call.arguments)
        render(contents.templates[index])
        arguments.removeLast()
        depth -= 1
        restoreIndentation(saved)
    }

    private mutating func renderBlock(_ block: Block) {
        guard depth < Self.maximumDepth, let argument = overridingArgument(named: block.name) else {
            if block.defaultStartsLine { writeIndentation() }
            output.append(contentsOf: block.leadingWhitespace)
            render(block.defaultBody)
            return
        }
        // An argument is its own little template: indent all its lines at a standalone site,
        // none of them inline.
        let saved = block.isStandalone ? pushIndentation(block.indent) : clearIndentation()
        if block.isStandalone && !argument.body.isEmpty { writeIndentation() }
        depth += 1
        render(argument.body)
        depth -= 1
        restoreIndentation(saved)
    }

    /// The outermost (most derived) template's argument wins.
    private func overridingArgument(named name: String) -> BlockArgument? {
        for level in arguments {
            for argument in level where argument.name == name { return argument }
        }
        return nil
    }

    private func templateIndex(_ target: PartialTarget) -> Int? {
        switch target {
        case .template(let index): index
        case .missing: nil
        case .dynamic(let path):
            if case .string(let name)? = lookup(path) { contents.indices[name] } else { nil }
        }
    }

    // MARK: Indentation

    private struct SavedIndentation {
        var count: Int
        var start: Int
    }

    private mutating func pushIndentation(_ extra: [UInt8]) -> SavedIndentation {
        let saved = SavedIndentation(count: indentation.count, start: indentationStart)
        indentation.append(contentsOf: extra)
        return saved
    }

    private mutating func clearIndentation() -> SavedIndentation {
        let saved = SavedIndentation(count: indentation.count, start: indentationStart)
        indentationStart = indentation.count
        return saved
    }

    private mutating func restoreIndentation(_ saved: SavedIndentation) {
        indentation.removeSubrange(saved.count...)
        indentationStart = saved.start
    }

    private mutating func writeIndentation() {
        if indentationStart < indentation.count {
            output.append(contentsOf: indentation[indentationStart...])
        }
    }

    // MARK: Output

    private mutating func write(_ text: Text) {
        if text.lineStarts.isEmpty || indentationStart == indentation.count {
            output.append(contentsOf: text.bytes)
            return
        }
        var from = 0
        for lineStart in text.lineStarts {
            output.append(contentsOf: text.bytes[from..<lineStart])
            writeIndentation()
            from = lineStart
        }
        output.append(contentsOf: text.bytes[from...])
    }

    private mutating func write(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .string(let string):
            if escaped {
                HTMLEscaping.append(string, to: &output)
            } else {
                output.append(contentsOf: string.utf8)
            }
        case .int(let number):
            NumberFormatting.append(number, to: &output)
        case .double(let number):
            NumberFormatting.append(number, to: &output)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null, .list, .object:
            break
        }
    }
}
