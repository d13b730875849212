import Foundation
import XCTest

@testable import Templating

/// Runs the official Mustache spec, read at run time from `../shared/conformance/mustache-spec`.
final class SpecConformanceTests: XCTestCase {
    /// Spec files and the cases deliberately left out (lambdas are out of scope).
    static let specFiles = [
        "comments.json", "delimiters.json", "interpolation.json", "inverted.json", "partials.json",
        "sections.json", "~inheritance.json", "~dynamic-names.json",
    ]

    func testOfficialSpec() throws {
        let folder = try Self.specFolder()
        var totalFailed = 0
        var totalCases = 0
        for file in Self.specFiles {
            let url = folder.appendingPathComponent(file)
            let spec = try JSONDecoder().decode(SpecFile.self, from: Data(contentsOf: url))
            var passed = 0
            var failures: [String] = []
            for test in spec.tests {
                switch Self.run(test) {
                case .success(let output) where output == test.expected:
                    passed += 1
                case .success(let output):
                    failures.append(
                        "\(file) '\(test.name)': expected \(test.expected.debugDescription), "
                            + "got \(output.debugDescription) (template \(test.template.debugDescription))")
                case .failure(let error):
                    failures.append("\(file) '\(test.name)': \(error)")
                }
            }
            print("\(file): \(passed) passed, \(failures.count) failed")
            for failure in failures { XCTFail(failure) }
            XCTAssertFalse(spec.tests.isEmpty, "\(file) holds no tests")
            totalFailed += failures.count
            totalCases += spec.tests.count
        }
        print("mustache spec: \(totalCases - totalFailed) of \(totalCases) cases passed")
    }

    private static func run(_ test: SpecTest) -> Result<String, TemplateError> {
        Result { () throws(TemplateError) -> String in
            var templates = test.partials ?? [:]
            templates["(spec template)"] = test.template
            let library = try TemplateLibrary(templates: templates, missingPartials: .renderEmpty)
            return try library.renderString("(spec template)", test.data.value)
        }
    }

    /// `../shared/conformance/mustache-spec/specs` next to the folder holding Package.swift.
    static func specFolder() throws -> URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            {
                let specs = directory.deletingLastPathComponent()
                    .appendingPathComponent("shared/conformance/mustache-spec/specs")
                guard FileManager.default.fileExists(atPath: specs.path) else {
                    throw XCTSkip("Mustache spec not found at \(specs.path); conformance cases not run")
                }
                return specs
            }
            directory = directory.deletingLastPathComponent()
        }
        throw XCTSkip("package root not found above \(#filePath); Mustache spec conformance not run")
    }
}

private struct SpecFile: Decodable {
    var tests: [SpecTest]
}

private struct SpecTest: Decodable {
    var name: String
    var data: JSONValue
    var template: String
    var expected: String
    var partials: [String: String]?
}

/// Spec data decoded straight into template values.
private struct JSONValue: Decodable {
    var value: TemplateValue

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            value = .int(number)
        } else if let number = try? container.decode(Double.self) {
            value = .double(number)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else if let items = try? container.decode([JSONValue].self) {
            value = .list(items.map(\.value))
        } else {
            let fields = try container.decode([String: JSONValue].self)
            value = .object(TemplateObject(fields.mapValues(\.value)))
        }
    }
}
