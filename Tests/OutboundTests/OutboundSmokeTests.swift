import XCTest
@testable import Outbound

final class OutboundSmokeTests: XCTestCase {
    func testModuleLoads() throws {
        throw XCTSkip("no tests yet for Outbound")
    }
}
