import Foundation
import JSON
import Patchbay
import XCTest

/// Compiles every request template in the seeded catalog, proving the engine parses what the
/// manifests use.
final class CatalogTemplateTests: XCTestCase {
    /// Templates known not to compile, by location, with the expected message. Empty: a template
    /// that stops compiling fails the test.
    static let knownDefects: [String: String] = [:]

    static var seedsDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Seeds/connectors")
    }

    func testEveryCatalogRequestCompiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.seedsDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 100)
        var compiled = 0
        var templates = 0
        var failures: [String: String] = [:]
        for file in files {
            let data = try Data(contentsOf: Self.seedsDirectory.appendingPathComponent(file))
            let manifest = try JSON(parsing: Array(data))
            for (location, request) in Self.requests(in: manifest) {
                do {
                    let spec = try RequestSpec(manifest: request)
                    templates += spec.templates.count
                    compiled += 1
                } catch {
                    failures["\(file) \(location)"] = error.message
                }
            }
            if let expectations = manifest["test"]?["expect_json"]?.object {
                XCTAssertNoThrow(try JSONExpectation(expectations), file)
            }
            for key in ["authorization_url", "token_url"] {
                if let url = manifest["oauth"]?[key]?.string {
                    XCTAssertNoThrow(try RequestTemplate(url), "\(file) oauth.\(key)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(compiled, 300, "the catalog holds over 300 request descriptions")
        XCTAssertGreaterThanOrEqual(templates, 1500)
        for (location, message) in failures where Self.knownDefects[location] == nil {
            XCTFail("\(location): \(message)")
        }
        for (location, message) in Self.knownDefects {
            if let actual = failures[location] {
                XCTAssertEqual(actual, message, location)
            } else {
                XCTFail("\(location) compiles now: remove it from knownDefects")
            }
        }
    }

    /// `test.request` and every action's `request`, with where they sit.
    static func requests(in manifest: JSON) -> [(String, JSON)] {
        var found: [(String, JSON)] = []
        if let request = manifest["test"]?["request"] { found.append(("test.request", request)) }
        for action in manifest["actions"]?.array ?? [] {
            if let request = action["request"], let name = action["name"]?.string {
                found.append(("actions.\(name).request", request))
            }
        }
        return found
    }
}
