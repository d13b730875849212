import Foundation
import JSON
import JSONSchema
import XCTest

/// The official test suite, draft 2020-12: required tests (format as annotation, as the suite
/// expects) and the optional format tests for the formats this validator asserts.
final class ConformanceTests: XCTestCase {
    private func suite() throws -> ConformanceSuite {
        guard let root = ConformanceSuite.locate() else {
            throw XCTSkip("JSON-Schema-Test-Suite not found at ../shared/conformance/json-schema-test-suite")
        }
        return try ConformanceSuite(root: root)
    }

    func testRequiredDraft2020_12() throws {
        let suite = try suite()
        let files = try FileManager.default.contentsOfDirectory(
            atPath: suite.root.appendingPathComponent("tests/draft2020-12").path
        ).filter { $0.hasSuffix(".json") }.sorted()
        let outcome = try suite.run(files: files, assertsFormat: false)
        check(outcome, section: "required", known: KnownFailures.required, minimumPassRate: 0.98)
    }

    func testOptionalFormats() throws {
        let suite = try suite()
        let formats = [
            "date-time", "date", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uri-reference", "uuid",
            "regex",
            "duration",
        ]
        let outcome = try suite.run(files: formats.map { "optional/format/\($0).json" }, assertsFormat: true)
        check(outcome, section: "formats", known: KnownFailures.formats, minimumPassRate: 0.95)
    }

    private func check(
        _ outcome: ConformanceSuite.Outcome, section: String, known: [String: String], minimumPassRate: Double
    ) {
        for (file, passed, failed) in outcome.perFile { print("\(file): \(passed) passed, \(failed) failed") }
        let total = outcome.passed.count + outcome.failed.count
        print(
            "total (\(section)): \(outcome.passed.count) passed, \(outcome.failed.count) failed of \(total)")
        XCTAssertGreaterThan(total, 0)
        XCTAssertGreaterThanOrEqual(Double(outcome.passed.count) / Double(max(total, 1)), minimumPassRate)

        for (name, reason) in outcome.failed.sorted(by: { $0.key < $1.key }) where known[name] == nil {
            XCTFail("new failure: \(name): \(reason)")
        }
        for name in outcome.passed where known[name] != nil {
            print("now passes, remove from KnownFailures.swift: \(name)")
        }
    }
}
