import Foundation
import JSON
import JSONSchema
import XCTest

/// Runs the official JSON-Schema-Test-Suite files found next to the package (`../shared/conformance`).
struct ConformanceSuite {
    struct Outcome {
        var passed: [String] = []
        var failed: [String: String] = [:]
        var perFile: [(file: String, passed: Int, failed: Int)] = []
    }

    let root: URL
    let registry: SchemaRegistry

    /// The suite folder, or nil when it is not checked out next to the package.
    static func locate() -> URL? {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            {
                let suite = directory.deletingLastPathComponent()
                    .appendingPathComponent("shared/conformance/json-schema-test-suite")
                return FileManager.default.fileExists(atPath: suite.path) ? suite : nil
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    init(root: URL) throws {
        self.root = root
        var registry = SchemaRegistry()
        let remotes = root.appendingPathComponent("remotes")
        let walker = FileManager.default.enumerator(at: remotes, includingPropertiesForKeys: nil)
        while let file = walker?.nextObject() as? URL {
            guard file.pathExtension == "json" else { continue }
            let relative = String(
                file.standardizedFileURL.path.dropFirst(remotes.standardizedFileURL.path.count + 1))
            registry.register(
                try JSON(parsing: Array(try Data(contentsOf: file))), at: "http://localhost:1234/" + relative)
        }
        self.registry = registry
    }

    /// Runs every case of the given files; case names are "file :: group :: test".
    func run(files: [String], assertsFormat: Bool) throws -> Outcome {
        var outcome = Outcome()
        for name in files {
            let data = try Data(contentsOf: root.appendingPathComponent("tests/draft2020-12/" + name))
            var passed = 0
            var failed = 0
            for group in try JSON(parsing: Array(data)).array ?? [] {
                let groupName = group["description"]?.string ?? "?"
                let options = SchemaOptions(assertsFormat: assertsFormat, registry: registry)
                let compiled = Result { () throws(SchemaError) in
                    try Schema(group["schema"] ?? true, options: options)
                }
                for test in group["tests"]?.array ?? [] {
                    let caseName = "\(name) :: \(groupName) :: \(test["description"]?.string ?? "?")"
                    let expected = test["valid"]?.bool ?? false
                    let verdict = Self.check(compiled, test["data"] ?? nil, expected: expected)
                    if let reason = verdict {
                        outcome.failed[caseName] = reason
                        failed += 1
                    } else {
                        outcome.passed.append(caseName)
                        passed += 1
                    }
                }
            }
            outcome.perFile.append((name, passed, failed))
        }
        return outcome
    }

    /// nil when the schema gives the expected verdict in both validation modes; else why not.
    private static func check(_ compiled: Result<Schema, SchemaError>, _ instance: JSON, expected: Bool)
        -> String?
    {
        switch compiled {
        case .failure(let error):
            return "schema rejected: \(error)"
        case .success(let schema):
            let quick = schema.isValid(instance)
            let full = schema.validate(instance)
            if quick != full.isValid { return "isValid() and validate() disagree" }
            if full.isValid != expected {
                return expected
                    ? "rejected: \(full.errors.map(\.description).joined(separator: "; "))" : "accepted"
            }
            return nil
        }
    }
}
