/// When to try a request again, and after how long.
///
/// Attempts are `1 + retries`. Only network errors and retryable statuses (429 and 5xx unless
/// configured otherwise) are retried. The delay is exponential from `baseDelay` with full jitter —
/// a uniform draw in `0...min(maxDelay, baseDelay * 2^(attempt-1))` — so many clients failing together
/// do not retry together; a `Retry-After` the server sent wins, capped by `maxRetryAfter`.
public struct RetryPolicy: Sendable, Hashable {
    /// What one attempt came to.
    public enum Outcome: Sendable, Hashable {
        /// No response: connection refused or reset, DNS failure, timeout.
        case networkError
        /// A response; `retryAfter` is its parsed `Retry-After` header, if any.
        case status(Int, retryAfter: Duration? = nil)
    }

    public var retries: Int
    public var baseDelay: Duration
    /// The most an exponential backoff waits.
    public var maxDelay: Duration
    /// The most a `Retry-After` is honoured for.
    public var maxRetryAfter: Duration
    /// Statuses worth retrying.
    public var retryableStatuses: Set<Int>

    /// 429 and every 5xx.
    public static let defaultRetryableStatuses: Set<Int> = Set([429] + Array(500...599))

    public init(
        retries: Int, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(60),
        retryableStatuses: Set<Int> = RetryPolicy.defaultRetryableStatuses
    ) {
        self.retries = max(0, retries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.retryableStatuses = retryableStatuses
    }

    /// The most attempts a request gets.
    public var maxAttempts: Int { 1 + retries }

    /// Whether `outcome` is worth another attempt at all.
    public func isRetryable(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .networkError: true
        case .status(let status, _): retryableStatuses.contains(status)
        }
    }

    /// How long to wait before the next attempt, after attempt number `attempt` (1-based) ended with
    /// `outcome`; nil when there is no next attempt. `random` supplies the jitter.
    public func nextDelay(attempt: Int, outcome: Outcome, using random: inout some RandomNumberGenerator)
        -> Duration?
    {
        guard attempt >= 1, attempt < maxAttempts, isRetryable(outcome) else { return nil }
        if case .status(_, let retryAfter?) = outcome {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        let ceiling = backoffCeiling(attempt: attempt)
        let nanoseconds = Self.nanoseconds(ceiling)
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Self.scale(nanoseconds, by: random.next()))
    }

    /// `value * fraction`, where the top 53 bits of `draw` give a fraction in `0...1`. Done by hand
    /// rather than with `random(in:)`, whose rejection sampling never ends on a constant generator.
    private static func scale(_ value: Int64, by draw: UInt64) -> Int64 {
        let denominator: UInt64 = (1 << 53) - 1
        let product = UInt64(value).multipliedFullWidth(by: draw >> 11)
        return Int64(denominator.dividingFullWidth(product).quotient)
    }

    /// `nextDelay` with the system's random numbers.
    public func nextDelay(attempt: Int, outcome: Outcome) -> Duration? {
        var random = SystemRandomNumberGenerator()
        return nextDelay(attempt: attempt, outcome: outcome, using: &random)
    }

    /// The upper bound of the jittered wait after `attempt`: `baseDelay * 2^(attempt-1)`, capped.
    public func backoffCeiling(attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 40)
        let base = Self.nanoseconds(baseDelay)
        let (scaled, overflow) = base.multipliedReportingOverflow(by: Int64(1) << doublings)
        let cap = Self.nanoseconds(maxDelay)
        return .nanoseconds(overflow ? cap : min(scaled, cap))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds > 0 ? .max : 0 }
        return max(0, whole + attoseconds / 1_000_000_000)
    }
}
