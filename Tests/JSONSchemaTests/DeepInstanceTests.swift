import JSON
import JSONSchema
import XCTest

/// Deep instances and self-referencing schemas must fail cleanly, also on the small stacks of the
/// concurrency thread pool.
final class DeepInstanceTests: XCTestCase {
    func testDeepInstanceOnPoolThread() async throws {
        let schema = try Schema([
            "$defs": ["node": ["type": "array", "items": ["$ref": "#/$defs/node"], "maxItems": 2]],
            "$ref": "#/$defs/node",
        ])
        var deep: JSON = []
        for _ in 0..<2_000 { deep = [deep] }
        let nested = deep
        let outcome = await Task.detached {
            (schema.isValid(nested), schema.validate(nested).errors.map(\.message))
        }.value
        XCTAssertFalse(outcome.0)
        XCTAssertEqual(outcome.1.count, 1)
        XCTAssertTrue(outcome.1.first?.contains("too deeply") == true, "\(outcome.1)")

        var shallow: JSON = []
        for _ in 0..<50 { shallow = [shallow, []] }
        let valid = shallow
        let isValid = await Task.detached { schema.isValid(valid) }.value
        XCTAssertTrue(isValid)
    }
}
