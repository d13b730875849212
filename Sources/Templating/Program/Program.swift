/// A range of a ``Program`` table.
struct TableRange: Sendable {
    var start: Int32
    var count: Int32

    static let empty = TableRange(start: 0, count: 0)
}

/// One step of a flattened template. Every payload is plain data (indices into the program's
/// tables), so walking the code costs no reference counting.
enum Instruction: Sendable {
    /// Literal bytes; `lineStarts` lists the offsets where an indented expansion inserts its
    /// indentation.
    case text(TableRange, lineStarts: TableRange)
    case variable(path: Int32, escaped: Bool)
    /// The section body runs from the next instruction to `end`.
    case section(path: Int32, end: Int32)
    case invertedSection(path: Int32, end: Int32)
    case partial(PartialTarget<Int32>, indent: TableRange, isStandalone: Bool)
    /// Followed by its `argument`s up to `end`.
    case parent(PartialTarget<Int32>, indent: TableRange, isStandalone: Bool, end: Int32)
    /// A block passed to a parent; its body runs from the next instruction to `end`.
    case argument(name: Int32, end: Int32)
    /// Followed by its default body up to `end`.
    case block(BlockInstruction)
}

struct BlockInstruction: Sendable {
    var name: Int32
    var end: Int32
    var indent: TableRange
    var leadingWhitespace: TableRange
    var isStandalone: Bool
    var defaultStartsLine: Bool
}

/// All templates of a library, flattened into one instruction stream with shared tables.
struct Program: Sendable {
    var code: [Instruction] = []
    /// Literal text, indentation and whitespace, pre-encoded.
    var bytes: [UInt8] = []
    var lineStarts: [Int32] = []
    var paths: [Path] = []
    /// Where each template's code starts; the last entry is the end of the code.
    var entries: [Int32] = []
    /// The number each block name is known by in the code.
    var blockNames: [String: Int32] = [:]

    /// Runs `body` with unsafe views of the tables, valid only during the call.
    func withView<Result>(_ body: (ProgramView) -> Result) -> Result {
        code.withUnsafeBufferPointer { code in
            bytes.withUnsafeBufferPointer { bytes in
                lineStarts.withUnsafeBufferPointer { lineStarts in
                    paths.withUnsafeBufferPointer { paths in
                        entries.withUnsafeBufferPointer { entries in
                            body(
                                ProgramView(
                                    code: code, bytes: bytes, lineStarts: lineStarts, paths: paths,
                                    entries: entries))
                        }
                    }
                }
            }
        }
    }
}

/// Borrowed views of a ``Program``'s tables for the duration of one render.
struct ProgramView {
    let code: UnsafeBufferPointer<Instruction>
    let bytes: UnsafeBufferPointer<UInt8>
    let lineStarts: UnsafeBufferPointer<Int32>
    let paths: UnsafeBufferPointer<Path>
    let entries: UnsafeBufferPointer<Int32>

    func bytes(_ range: TableRange) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(range.start)..<Int(range.start + range.count)])
    }

    /// The code of template `index`.
    func codeRange(ofTemplate index: Int32) -> Range<Int> {
        Int(entries[Int(index)])..<Int(entries[Int(index) + 1])
    }
}
