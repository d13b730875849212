import Postgres
import XCTest

/// Measures `SELECT 1` round trips through the pool; runs only with PATCHBAY_PG_BENCH=1 and asserts
/// nothing about speed (numbers depend on the machine). Best run in a release build:
/// `swift build -c release --build-tests -Xswiftc -enable-testing` then
/// `PATCHBAY_PG_BENCH=1 swift test -c release --skip-build --filter PoolBenchmarkTests`.
final class PoolBenchmarkTests: PostgresTestCase {
    func testSelectOneRoundTrips() async throws {
        guard ProcessInfo.processInfo.environment["PATCHBAY_PG_BENCH"] == "1" else {
            throw XCTSkip("set PATCHBAY_PG_BENCH=1 to measure pool throughput")
        }
        let tasks = 16
        let seconds = 3
        for size in [1, 4, 8, 16] {
            let pool = try makeSharedPool(size: size, acquireTimeout: .seconds(30))
            try await pool.execute("SELECT 1")
            let deadline = ContinuousClock.now + .seconds(seconds)
            let started = ContinuousClock.now
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        var count = 0
                        while ContinuousClock.now < deadline {
                            let rows = try await pool.query("SELECT 1")
                            precondition(rows.count == 1)
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = ContinuousClock.now - started
            let perSecond =
                Double(total)
                / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            print(
                "pool size \(size), \(tasks) tasks: \(total) SELECT 1 in \(elapsed) = \(Int(perSecond)) per second"
            )
            XCTAssertGreaterThan(total, 0)
            await pool.close()
        }
    }
}
