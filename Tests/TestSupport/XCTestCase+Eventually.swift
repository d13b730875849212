import XCTest

extension XCTestCase {
    /// Waits until `condition` holds, checking every 20 ms; fails the test after `timeout`.
    public func eventually(
        _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("timed out waiting until \(what)", file: file, line: line)
    }
}
