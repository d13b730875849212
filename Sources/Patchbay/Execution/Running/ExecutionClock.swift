import Glibc

/// The executor's view of time, swappable in tests: a monotonic clock for durations, a sleep for
/// retry waits, and the wall clock that dated `Retry-After` values are measured against.
public struct ExecutionClock: Sendable {
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Waits `duration`; throws when the task is cancelled.
    public var sleep: @Sendable (_ duration: Duration) async throws -> Void
    /// Seconds since 1970, for HTTP dates.
    public var secondsSince1970: @Sendable () -> Double

    public init(
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        secondsSince1970: @escaping @Sendable () -> Double
    ) {
        self.now = now
        self.sleep = sleep
        self.secondsSince1970 = secondsSince1970
    }

    /// The system clocks and a real sleep.
    public static let live = ExecutionClock(
        now: { ContinuousClock.now },
        sleep: { duration in try await Task.sleep(for: duration) },
        secondsSince1970: {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        })
}

/// Where retry jitter comes from: 64 random bits per draw.
public struct RandomSource: Sendable {
    public var next: @Sendable () -> UInt64

    public init(next: @escaping @Sendable () -> UInt64) { self.next = next }

    /// The system's generator.
    public static let system = RandomSource { UInt64.random(in: .min ... .max) }

    /// Every draw the same: `.max` waits the full backoff ceiling, `0` not at all.
    public static func constant(_ value: UInt64) -> RandomSource { RandomSource { value } }
}

/// Adapts a `RandomSource` to the generator `RetryPolicy` draws from.
struct RandomSourceGenerator: RandomNumberGenerator {
    let source: RandomSource

    mutating func next() -> UInt64 { source.next() }
}
