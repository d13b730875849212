/// Flattens syntax trees into a ``Program``, template after template.
struct ProgramBuilder {
    private(set) var program = Program()
    private var pathIndices: [Path: Int32] = [:]
    private var blockNames: [String: Int32] = [:]

    /// Appends a template; templates must be added in library index order.
    mutating func addTemplate(_ nodes: [Node]) {
        program.entries.append(Int32(program.code.count))
        emit(nodes)
    }

    mutating func finish() -> Program {
        program.entries.append(Int32(program.code.count))
        program.blockNames = blockNames
        return program
    }

    private var position: Int32 { Int32(program.code.count) }

    private mutating func emit(_ nodes: [Node]) {
        for node in nodes {
            switch node {
            case .text(let bytes, let lineStarts):
                let starts = TableRange(
                    start: Int32(program.lineStarts.count), count: Int32(lineStarts.count))
                program.lineStarts += lineStarts.map { Int32($0) }
                program.code.append(.text(append(bytes), lineStarts: starts))
            case .variable(let path, let escaped):
                program.code.append(.variable(path: intern(path), escaped: escaped))
            case .section(let path, let body):
                let path = intern(path)
                emitWithEnd(body) { .section(path: path, end: $0) }
            case .invertedSection(let path, let body):
                let path = intern(path)
                emitWithEnd(body) { .invertedSection(path: path, end: $0) }
            case .partial(let target, let isStandalone, let indent):
                program.code.append(
                    .partial(resolve(target), indent: append(indent), isStandalone: isStandalone))
            case .parent(let target, let arguments, let isStandalone, let indent):
                let header = program.code.count
                program.code.append(.parent(.missing, indent: .empty, isStandalone: false, end: 0))
                for argument in arguments {
                    let name = blockName(argument.name)
                    emitWithEnd(argument.body) { .argument(name: name, end: $0) }
                }
                program.code[header] = .parent(
                    resolve(target), indent: append(indent), isStandalone: isStandalone, end: position)
            case .block(let block):
                var instruction = BlockInstruction(
                    name: blockName(block.name), end: 0, indent: append(block.indent),
                    leadingWhitespace: append(block.leadingWhitespace), isStandalone: block.isStandalone,
                    defaultStartsLine: block.defaultStartsLine)
                emitWithEnd(block.defaultBody) { end in
                    instruction.end = end
                    return .block(instruction)
                }
            }
        }
    }

    /// Emits a header instruction followed by `body`; the header learns where the body ends.
    private mutating func emitWithEnd(_ body: [Node], header: (Int32) -> Instruction) {
        let index = program.code.count
        program.code.append(.variable(path: 0, escaped: false))  // placeholder
        emit(body)
        program.code[index] = header(position)
    }

    private mutating func append(_ bytes: [UInt8]) -> TableRange {
        guard !bytes.isEmpty else { return .empty }
        let range = TableRange(start: Int32(program.bytes.count), count: Int32(bytes.count))
        program.bytes += bytes
        return range
    }

    private mutating func intern(_ path: Path) -> Int32 {
        if let index = pathIndices[path] { return index }
        let index = Int32(program.paths.count)
        program.paths.append(path)
        pathIndices[path] = index
        return index
    }

    private mutating func blockName(_ name: String) -> Int32 {
        if let id = blockNames[name] { return id }
        let id = Int32(blockNames.count)
        blockNames[name] = id
        return id
    }

    private mutating func resolve(_ target: PartialTarget<Path>) -> PartialTarget<Int32> {
        switch target {
        case .template(let index): .template(index)
        case .missing: .missing
        case .dynamic(let path): .dynamic(intern(path))
        }
    }
}
