/// Runs a library's flattened code against a value, writing bytes to an output buffer.
///
/// The renderer never fails: lookups that miss render nothing, as Mustache asks, and expansions
/// nested deeper than ``maximumDepth`` (a partial that includes itself unconditionally) stop there.
struct Renderer: ~Copyable {
    /// Deepest nesting of partial, parent and block expansions.
    static let maximumDepth = 100

    private let program: ProgramView
    private let templateIndices: [String: Int]
    var output: ByteBuffer
    /// The context stack; the innermost frame is last.
    private var context: [TemplateValue] = []
    /// The indentation of enclosing standalone expansions; the active part starts at
    /// `indentationStart` (an inline expansion starts with none).
    private var indentation = ByteBuffer(capacity: 64)
    private var indentationStart = 0
    /// Code ranges holding the block arguments of the parents being expanded, outermost first.
    private var arguments: [Range<Int>] = []
    private var depth = 0

    init(program: ProgramView, templateIndices: [String: Int], value: TemplateValue, capacity: Int) {
        self.program = program
        self.templateIndices = templateIndices
        output = ByteBuffer(capacity: capacity)
        context.reserveCapacity(16)
        context.append(value)
    }

    mutating func render(template index: Int) {
        run(program.codeRange(ofTemplate: Int32(index)))
    }

    /// Renders, unindented, only what a template's inheritance chain puts in block `name`: the
    /// most derived override, or else the block's default. Returns false if no template of the
    /// chain has the block.
    mutating func render(template index: Int, block name: Int32) -> Bool {
        var template = Int32(index)
        while depth < Self.maximumDepth, let (target, passed) = topLevelParent(of: template) {
            arguments.append(passed)
            guard case .template(let parent) = target else { break }
            template = parent
            depth += 1
        }
        guard let body = overridingArgument(named: name) ?? defaultBody(ofBlock: name, in: template) else {
            return false
        }
        run(body)
        return true
    }

    /// The first parent tag outside any section of a template, and the code of its arguments.
    private func topLevelParent(of template: Int32) -> (PartialTarget<Int32>, Range<Int>)? {
        let range = program.codeRange(ofTemplate: template)
        var position = range.lowerBound
        while position < range.upperBound {
            switch program.code[position] {
            case .parent(let target, _, _, let end): return (target, position + 1..<Int(end))
            case .section(_, let end), .invertedSection(_, let end), .argument(_, let end):
                position = Int(end)
            case .block(let block): position = Int(block.end)
            case .text, .variable, .partial: position += 1
            }
        }
        return nil
    }

    private func defaultBody(ofBlock name: Int32, in template: Int32) -> Range<Int>? {
        for position in program.codeRange(ofTemplate: template) {
            if case .block(let block) = program.code[position], block.name == name {
                return position + 1..<Int(block.end)
            }
        }
        return nil
    }

    private mutating func run(_ range: Range<Int>) {
        var position = range.lowerBound
        while position < range.upperBound {
            switch program.code[position] {
            case .text(let bytes, let lineStarts):
                write(program.bytes(bytes), lineStarts: lineStarts)
                position += 1
            case .variable(let path, let escaped):
                if let value = lookup(path) { write(value, escaped: escaped) }
                position += 1
            case .section(let path, let end):
                if let value = lookup(path) { renderSection(value, body: position + 1..<Int(end)) }
                position = Int(end)
            case .invertedSection(let path, let end):
                if !(lookup(path)?.isTruthy ?? false) { run(position + 1..<Int(end)) }
                position = Int(end)
            case .partial(let target, let indent, let isStandalone):
                expand(target, indent: indent, isStandalone: isStandalone)
                position += 1
            case .parent(let target, let indent, let isStandalone, let end):
                arguments.append(position + 1..<Int(end))
                expand(target, indent: indent, isStandalone: isStandalone)
                arguments.removeLast()
                position = Int(end)
            case .block(let block):
                renderBlock(block, defaultBody: position + 1..<Int(block.end))
                position = Int(block.end)
            case .argument(_, let end):
                position = Int(end)  // only read through `arguments`
            }
        }
    }

    private mutating func renderSection(_ value: TemplateValue, body: Range<Int>) {
        guard value.isTruthy else { return }
        if case .list(let items) = value {
            for item in items {
                context.append(item)
                run(body)
                context.removeLast()
            }
        } else {
            context.append(value)
            run(body)
            context.removeLast()
        }
    }

    /// Mustache name resolution: the first component is looked up from the innermost frame
    /// outwards; the rest descend from what it found, without falling back to outer frames.
    private func lookup(_ pathIndex: Int32) -> TemplateValue? {
        let path = program.paths[Int(pathIndex)]
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

    /// Renders a partial or parent: a standalone one indents its lines, an inline one does not.
    private mutating func expand(_ target: PartialTarget<Int32>, indent: TableRange, isStandalone: Bool) {
        guard depth < Self.maximumDepth, let index = templateIndex(target) else { return }
        let saved = isStandalone ? pushIndentation(indent) : clearIndentation()
        depth += 1
        run(program.codeRange(ofTemplate: index))
        depth -= 1
        restoreIndentation(saved)
    }

    private mutating func renderBlock(_ block: BlockInstruction, defaultBody: Range<Int>) {
        guard depth < Self.maximumDepth, let argument = overridingArgument(named: block.name) else {
            if block.defaultStartsLine { writeIndentation() }
            output.append(program.bytes(block.leadingWhitespace))
            run(defaultBody)
            return
        }
        // An argument is its own little template: indent all its lines at a standalone site,
        // none of them inline.
        let saved = block.isStandalone ? pushIndentation(block.indent) : clearIndentation()
        if block.isStandalone && !argument.isEmpty { writeIndentation() }
        depth += 1
        run(argument)
        depth -= 1
        restoreIndentation(saved)
    }

    /// The body of the argument overriding a block; the outermost (most derived) template wins.
    private func overridingArgument(named name: Int32) -> Range<Int>? {
        for level in arguments {
            var position = level.lowerBound
            while position < level.upperBound {
                guard case .argument(let argumentName, let end) = program.code[position] else { break }
                if argumentName == name { return position + 1..<Int(end) }
                position = Int(end)
            }
        }
        return nil
    }

    private func templateIndex(_ target: PartialTarget<Int32>) -> Int32? {
        switch target {
        case .template(let index): index
        case .missing: nil
        case .dynamic(let path):
            if case .string(let name)? = lookup(path), let index = templateIndices[name] {
                Int32(index)
            } else {
                nil
            }
        }
    }

    // MARK: Indentation

    private struct SavedIndentation {
        var count: Int
        var start: Int
    }

    private mutating func pushIndentation(_ extra: TableRange) -> SavedIndentation {
        let saved = SavedIndentation(count: indentation.count, start: indentationStart)
        indentation.append(program.bytes(extra))
        return saved
    }

    private mutating func clearIndentation() -> SavedIndentation {
        let saved = SavedIndentation(count: indentation.count, start: indentationStart)
        indentationStart = indentation.count
        return saved
    }

    private mutating func restoreIndentation(_ saved: SavedIndentation) {
        indentation.truncate(to: saved.count)
        indentationStart = saved.start
    }

    private mutating func writeIndentation() {
        guard indentationStart < indentation.count else { return }
        output.append(indentation.bytes(from: indentationStart))
    }

    // MARK: Output

    private mutating func write(_ text: UnsafeBufferPointer<UInt8>, lineStarts: TableRange) {
        if lineStarts.count == 0 || indentationStart == indentation.count {
            output.append(text)
            return
        }
        var from = 0
        for index in Int(lineStarts.start)..<Int(lineStarts.start + lineStarts.count) {
            let lineStart = Int(program.lineStarts[index])
            output.append(UnsafeBufferPointer(rebasing: text[from..<lineStart]))
            writeIndentation()
            from = lineStart
        }
        output.append(UnsafeBufferPointer(rebasing: text[from...]))
    }

    private mutating func write(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .string(let string):
            if escaped {
                HTMLEscaping.append(string, to: &output)
            } else {
                output.append(string)
            }
        case .int(let number):
            NumberFormatting.append(number, to: &output)
        case .double(let number):
            NumberFormatting.append(number, to: &output)
        case .bool(let flag):
            output.append(flag ? "true" : "false")
        case .null, .list, .object:
            break
        }
    }
}
