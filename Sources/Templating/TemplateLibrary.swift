import Synchronization

/// A set of compiled templates that can include one another by name.
///
/// Build one at start-up from a folder of `.mustache` files (``init(directory:missingPartials:)``)
/// or from sources in memory (``init(templates:missingPartials:)``). Every template is compiled
/// once; syntax errors and, by default, partials or parents naming absent templates are reported
/// here with file, line and column. Rendering is then allocation-light and cannot fail except for
/// an unknown template name. A library is safe to share between tasks; ``reloadIfChanged()``
/// swaps in a freshly compiled set while renders in flight finish on the old one.
public final class TemplateLibrary: Sendable {
    /// What a partial or parent tag naming an absent template does.
    public enum MissingPartials: Sendable {
        /// Compilation fails with ``TemplateError/missingPartial(_:at:)``.
        case fail
        /// The tag renders nothing (the Mustache spec's behaviour).
        case renderEmpty
    }

    private let folder: TemplateFolder?
    private let missingPartials: MissingPartials
    private let state: Mutex<State>

    private struct State {
        var contents: LibraryContents
        var stamps: [String: TemplateFolder.Stamp]
    }

    /// Loads and compiles every `*.mustache` file under `directory`, recursively. Each template is
    /// named by its path relative to the folder without the extension: `layouts/base`,
    /// `partials/card`.
    public init(directory: String, missingPartials: MissingPartials = .fail) throws(TemplateError) {
        let folder = TemplateFolder(path: directory)
        let (sources, stamps) = try folder.load()
        self.folder = folder
        self.missingPartials = missingPartials
        let contents = try TemplateCompiler.compile(sources, failsOnMissingPartials: missingPartials == .fail)
        state = Mutex(State(contents: contents, stamps: stamps))
    }

    /// Compiles templates given as `[name: source]`.
    public init(templates: [String: String], missingPartials: MissingPartials = .fail) throws(TemplateError) {
        let sources = templates.map {
            TemplateSource(name: $0.key, file: $0.key, bytes: Array($0.value.utf8))
        }
        folder = nil
        self.missingPartials = missingPartials
        let contents = try TemplateCompiler.compile(sources, failsOnMissingPartials: missingPartials == .fail)
        state = Mutex(State(contents: contents, stamps: [:]))
    }

    private var contents: LibraryContents { state.withLock { $0.contents } }

    /// The names of all templates, sorted.
    public var templateNames: [String] { contents.names }

    /// Whether the library has a template with this name.
    public func hasTemplate(named name: String) -> Bool { contents.indices[name] != nil }

    /// Renders a template, appending its output to `output`.
    public func render(_ name: String, _ value: TemplateValue, into output: inout [UInt8])
        throws(TemplateError)
    {
        try withRenderer(name, value, into: &output) { renderer, index, _ in
            renderer.render(template: index)
        }
    }

    /// Renders only the content a template gives one block of its layout, unindented; or, when
    /// no template of its inheritance chain overrides the block, the block's default. For a page
    /// `{{<layouts/base}}{{$content}}...{{/content}}{{/layouts/base}}` this is the fragment an
    /// HTMX request for the same page swaps in.
    public func render(_ name: String, block: String, _ value: TemplateValue, into output: inout [UInt8])
        throws(TemplateError)
    {
        let found = try withRenderer(name, value, into: &output) { renderer, index, contents in
            guard let blockName = contents.program.blockNames[block] else { return false }
            return renderer.render(template: index, block: blockName)
        }
        if !found { throw .unknownBlock(block, template: name) }
    }

    /// Runs `body` with a renderer for template `name` and appends what it wrote to `output`.
    private func withRenderer<Result>(
        _ name: String, _ value: TemplateValue, into output: inout [UInt8],
        _ body: (inout Renderer, Int, LibraryContents) -> Result
    ) throws(TemplateError) -> Result {
        let contents = self.contents
        guard let index = contents.indices[name] else { throw .unknownTemplate(name) }
        let capacity = contents.sizeHint.load(ordering: .relaxed)
        return contents.program.withView { program in
            var renderer = Renderer(
                program: program, templateIndices: contents.indices, value: value, capacity: capacity)
            let result = body(&renderer, index, contents)
            renderer.output.copy(to: &output)
            contents.noteOutputSize(renderer.output.count)
            return result
        }
    }

    /// Renders a template into a new byte buffer.
    public func render(_ name: String, _ value: TemplateValue) throws(TemplateError) -> [UInt8] {
        var output: [UInt8] = []
        try render(name, value, into: &output)
        return output
    }

    /// Renders a template into a string.
    public func renderString(_ name: String, _ value: TemplateValue) throws(TemplateError) -> String {
        String(decoding: try render(name, value), as: UTF8.self)
    }

    /// Renders a template for a view model, appending its output to `output`.
    public func render(_ name: String, _ model: some TemplateRenderable, into output: inout [UInt8])
        throws(TemplateError)
    {
        try render(name, model.templateValue, into: &output)
    }

    /// Renders a template for a view model into a new byte buffer.
    public func render(_ name: String, _ model: some TemplateRenderable) throws(TemplateError) -> [UInt8] {
        try render(name, model.templateValue)
    }

    /// Renders one block of a template into a new byte buffer (see ``render(_:block:_:into:)``).
    public func render(_ name: String, block: String, _ value: TemplateValue) throws(TemplateError) -> [UInt8]
    {
        var output: [UInt8] = []
        try render(name, block: block, value, into: &output)
        return output
    }

    /// Renders one block of a template for a view model (see ``render(_:block:_:into:)``).
    public func render(_ name: String, block: String, _ model: some TemplateRenderable) throws(TemplateError)
        -> [UInt8]
    {
        try render(name, block: block, model.templateValue)
    }

    /// Renders a template for a view model into a string.
    public func renderString(_ name: String, _ model: some TemplateRenderable) throws(TemplateError) -> String
    {
        try renderString(name, model.templateValue)
    }

    /// For development: recompiles the library when a file under its folder was added, removed or
    /// modified since the last load, and reports whether it did. On a compile error the previous
    /// templates stay in use and the error is thrown. Libraries built in memory never change.
    @discardableResult
    public func reloadIfChanged() throws(TemplateError) -> Bool {
        guard let folder else { return false }
        let current = try folder.stamps()
        guard current != state.withLock({ $0.stamps }) else { return false }
        let (sources, stamps) = try folder.load()
        let contents = try TemplateCompiler.compile(sources, failsOnMissingPartials: missingPartials == .fail)
        state.withLock { $0 = State(contents: contents, stamps: stamps) }
        return true
    }
}
