#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `*.mustache` files under a folder, named by relative path without extension.
struct TemplateFolder: Sendable {
    static let fileExtension = ".mustache"

    /// What reloading compares to notice a changed file.
    struct Stamp: Equatable, Sendable {
        var modified: Date?
        var size: Int?
    }

    let path: String

    /// The relative paths of all template files, sorted.
    private func templateFiles() throws(TemplateError) -> [String] {
        let manager = FileManager.default
        var isDirectory = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory else {
            throw .unreadable(path: path, reason: "not a directory")
        }
        do {
            return try manager.subpathsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(Self.fileExtension) }
                .sorted()
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    private func fullPath(_ relative: String) -> String {
        path.hasSuffix("/") ? path + relative : path + "/" + relative
    }

    /// Modification stamps of every template file, by relative path.
    func stamps() throws(TemplateError) -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        for file in try templateFiles() {
            let attributes = try? FileManager.default.attributesOfItem(atPath: fullPath(file))
            stamps[file] = Stamp(
                modified: attributes?[.modificationDate] as? Date, size: size(attributes?[.size]))
        }
        return stamps
    }

    /// The size attribute's integer type differs between Foundation implementations.
    private func size(_ attribute: Any?) -> Int? {
        switch attribute {
        case let size as Int: size
        case let size as UInt64: Int(size)
        case let size as Int64: Int(size)
        default: nil
        }
    }

    /// Reads every template file, with the stamps taken just before reading.
    func load() throws(TemplateError) -> (sources: [TemplateSource], stamps: [String: Stamp]) {
        let stamps = try stamps()
        var sources: [TemplateSource] = []
        for file in stamps.keys.sorted() {
            let location = fullPath(file)
            guard let data = FileManager.default.contents(atPath: location) else {
                throw .unreadable(path: location, reason: "cannot read file")
            }
            let name = String(file.dropLast(Self.fileExtension.count))
            sources.append(TemplateSource(name: name, file: location, bytes: [UInt8](data)))
        }
        return (sources, stamps)
    }
}
