import Patchbay
import XCTest

/// Returns a fixed fraction of the range each time, so jitter is predictable.
struct FixedRandom: RandomNumberGenerator {
    /// 0 gives the smallest value, UInt64.max the largest.
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

/// A deterministic generator (SplitMix64) for sampling many draws.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class RetryPolicyTests: XCTestCase {
    let policy = RetryPolicy(
        retries: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(350), maxRetryAfter: .seconds(5))

    func testAttemptsAreOnePlusRetries() {
        var random = FixedRandom(value: .max)
        XCTAssertEqual(policy.maxAttempts, 4)
        XCTAssertNotNil(policy.nextDelay(attempt: 3, outcome: .networkError, using: &random))
        XCTAssertNil(policy.nextDelay(attempt: 4, outcome: .networkError, using: &random))
        XCTAssertNil(RetryPolicy(retries: 0).nextDelay(attempt: 1, outcome: .networkError))
        XCTAssertNil(policy.nextDelay(attempt: 0, outcome: .networkError, using: &random))
    }

    func testOnlyNetworkErrors429And5xxAreRetried() {
        var random = FixedRandom(value: .max)
        XCTAssertNotNil(policy.nextDelay(attempt: 1, outcome: .networkError, using: &random))
        for status in [429, 500, 502, 503, 504, 599] {
            XCTAssertNotNil(
                policy.nextDelay(attempt: 1, outcome: .status(status), using: &random), "\(status)")
        }
        for status in [200, 201, 301, 400, 401, 403, 404, 408, 409, 422] {
            XCTAssertNil(policy.nextDelay(attempt: 1, outcome: .status(status), using: &random), "\(status)")
        }
        var custom = policy
        custom.retryableStatuses = [503]
        XCTAssertNil(custom.nextDelay(attempt: 1, outcome: .status(500), using: &random))
        XCTAssertNotNil(custom.nextDelay(attempt: 1, outcome: .status(503), using: &random))
    }

    func testExponentialBackoffCeilingIsCapped() {
        XCTAssertEqual(policy.backoffCeiling(attempt: 1), .milliseconds(100))
        XCTAssertEqual(policy.backoffCeiling(attempt: 2), .milliseconds(200))
        XCTAssertEqual(policy.backoffCeiling(attempt: 3), .milliseconds(350))
        XCTAssertEqual(policy.backoffCeiling(attempt: 60), .milliseconds(350))
        var random = FixedRandom(value: .max)
        XCTAssertEqual(
            policy.nextDelay(attempt: 2, outcome: .status(503), using: &random), .milliseconds(200))
        var low = FixedRandom(value: 0)
        XCTAssertEqual(policy.nextDelay(attempt: 2, outcome: .status(503), using: &low), .zero)
    }

    func testFullJitterStaysWithinBoundsAndSpreads() {
        var random = SeededRandom(state: 42)
        var delays: [Duration] = []
        for _ in 0..<1000 {
            guard let delay = policy.nextDelay(attempt: 2, outcome: .networkError, using: &random) else {
                return XCTFail("expected a delay")
            }
            delays.append(delay)
        }
        XCTAssertTrue(delays.allSatisfy { $0 >= .zero && $0 <= .milliseconds(200) })
        XCTAssertLessThan(delays.min()!, .milliseconds(20))
        XCTAssertGreaterThan(delays.max()!, .milliseconds(180))
        XCTAssertGreaterThan(Set(delays).count, 900)
    }

    func testRetryAfterIsHonouredAndCapped() {
        var random = FixedRandom(value: 0)
        XCTAssertEqual(
            policy.nextDelay(attempt: 1, outcome: .status(429, retryAfter: .seconds(2)), using: &random),
            .seconds(2))
        XCTAssertEqual(
            policy.nextDelay(attempt: 1, outcome: .status(503, retryAfter: .seconds(120)), using: &random),
            .seconds(5))
        XCTAssertEqual(
            policy.nextDelay(attempt: 1, outcome: .status(429, retryAfter: .zero), using: &random), .zero)
        XCTAssertNil(
            policy.nextDelay(attempt: 1, outcome: .status(400, retryAfter: .seconds(1)), using: &random))
        XCTAssertNil(
            policy.nextDelay(attempt: 4, outcome: .status(429, retryAfter: .seconds(1)), using: &random))
    }

    func testZeroBaseDelayRetriesAtOnce() {
        XCTAssertEqual(
            RetryPolicy(retries: 2, baseDelay: .zero).nextDelay(attempt: 1, outcome: .networkError), .zero)
    }
}
