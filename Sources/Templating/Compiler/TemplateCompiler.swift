import Synchronization

/// The compiled templates of a library, immutable once built.
final class LibraryContents: Sendable {
    /// Initial output capacity of a render: the largest output so far, within bounds, so that
    /// pages rarely regrow their buffer.
    let sizeHint = Atomic<Int>(4096)
    private static let largestSizeHint = 1 << 20

    func noteOutputSize(_ size: Int) {
        let hint = min(size, Self.largestSizeHint)
        if hint > sizeHint.load(ordering: .relaxed) { sizeHint.store(hint, ordering: .relaxed) }
    }

    /// Template names, sorted; a template's index is its position here.
    let names: [String]
    let program: Program
    let indices: [String: Int]

    init(names: [String], program: Program) {
        self.names = names
        self.program = program
        var indices: [String: Int] = [:]
        for (index, name) in names.enumerated() { indices[name] = index }
        self.indices = indices
    }
}

/// One template's text and where it came from.
struct TemplateSource: Sendable {
    var name: String
    /// File path for error messages (the name itself for in-memory sources).
    var file: String
    var bytes: [UInt8]
}

enum TemplateCompiler {
    /// Compiles every source, resolving partial and parent names among them.
    static func compile(_ sources: [TemplateSource], failsOnMissingPartials: Bool) throws(TemplateError)
        -> LibraryContents
    {
        let sorted = sources.sorted { $0.name < $1.name }
        var indices: [String: Int] = [:]
        for (index, source) in sorted.enumerated() { indices[source.name] = index }
        var builder = ProgramBuilder()
        for source in sorted {
            let text = SourceText(bytes: source.bytes, template: source.name, file: source.file)
            let tokens = try WhitespaceAnalyzer.analyze(try Lexer.tokenize(text), in: text)
            builder.addTemplate(
                try TreeBuilder.build(
                    tokens, in: text, templateIndices: indices, failsOnMissingPartials: failsOnMissingPartials
                ))
        }
        return LibraryContents(names: sorted.map(\.name), program: builder.finish())
    }
}
