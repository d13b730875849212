import Foundation
import JSON

/// A scratch copy of some shipped manifests, for tests that edit or break them.
public struct TemporarySeeds {
    public let path: String

    public static func copy(keys: [String]) throws -> TemporarySeeds {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for key in keys {
            try FileManager.default.copyItem(
                atPath: ProjectRoot.path + "/Seeds/connectors/\(key).json",
                toPath: folder.path + "/\(key).json")
        }
        return TemporarySeeds(path: folder.path)
    }

    /// Rewrites one manifest's text.
    public func edit(_ key: String, _ change: (String) -> String) throws {
        let file = path + "/\(key).json"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let changed = change(text)
        precondition(changed != text, "the edit changed nothing in \(key).json")
        try changed.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Sets the manifest's version.
    public func setVersion(_ key: String, to version: String) throws {
        try edit(key) { text in
            text.replacingOccurrences(
                of: #""version": "[^"]+""#, with: "\"version\": \"\(version)\"", options: .regularExpression,
                range: text.range(of: #""version": "[^"]+""#, options: .regularExpression))
        }
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension JSON {
    /// A copy of this object with `key` set to a string.
    public func setting(_ key: String, to value: String) -> JSON {
        guard case .object(var object) = self else { return self }
        object[key] = .string(value)
        return .object(object)
    }
}
