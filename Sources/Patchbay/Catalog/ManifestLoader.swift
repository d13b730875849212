import Foundation

/// A manifest file that failed to load, with the file name and the JSON pointer of the problem.
public struct ManifestFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problem: ManifestProblem

    public var description: String { "\(file): \(problem)" }
}

/// Reads every `*.json` manifest in a folder, in file-name order, and checks each one.
public struct ManifestLoader: Sendable {
    public let validator: ManifestValidator

    public init(validator: ManifestValidator) { self.validator = validator }

    /// Every manifest of the folder, or every problem found (all files are read, so one run reports
    /// them all).
    public func load(directory: String) throws -> [ConnectorManifest] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw AppError(.badRequest, "The seeds folder \(directory) cannot be read.")
        }
        var manifests: [ConnectorManifest] = []
        var problems: [ManifestFileError] = []
        var seenKeys: [String: String] = [:]
        for name in names {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(
                    ManifestFileError(
                        file: name, problem: ManifestProblem(pointer: "", message: "cannot be read")))
                continue
            }
            do {
                let manifest = try validator.manifest(from: [UInt8](data))
                let expected = String(name.dropLast(".json".count))
                if manifest.key != expected {
                    throw ManifestProblem(
                        pointer: "/key", message: "is \"\(manifest.key)\" but the file is named \(name)")
                }
                if let other = seenKeys[manifest.key] {
                    throw ManifestProblem(
                        pointer: "/key", message: "\"\(manifest.key)\" is also used by \(other)")
                }
                seenKeys[manifest.key] = name
                manifests.append(manifest)
            } catch let problem as ManifestProblem {
                problems.append(ManifestFileError(file: name, problem: problem))
            }
        }
        if !problems.isEmpty { throw ManifestLoadError(problems: problems) }
        return manifests
    }
}

/// Every manifest problem of one load.
public struct ManifestLoadError: Error, Sendable, CustomStringConvertible {
    public let problems: [ManifestFileError]

    public var description: String {
        "\(problems.count) manifest(s) refused:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
