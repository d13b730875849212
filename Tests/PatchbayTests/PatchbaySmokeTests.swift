import XCTest
@testable import Patchbay

final class PatchbaySmokeTests: XCTestCase {
    func testModuleLoads() throws {
        throw XCTSkip("no tests yet for Patchbay")
    }
}
