import XCTest
@testable import Templating

final class TemplatingSmokeTests: XCTestCase {
    func testModuleLoads() throws {
        throw XCTSkip("no tests yet for Templating")
    }
}
