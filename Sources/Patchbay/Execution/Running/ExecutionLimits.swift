/// Bounds every run stays within, whatever the connector's config asks for.
public struct ExecutionLimits: Sendable, Hashable {
    /// A longer response body fails the run (`response_too_large`) instead of being read on.
    public var maxResponseBytes: Int
    /// How much of the response body the outcome keeps as `rawResponse`.
    public var rawResponseBytes: Int
    /// The longest `Retry-After` honoured; a longer one is waited for this long.
    public var maxRetryAfter: Duration
    /// The longest exponential backoff between two attempts.
    public var maxBackoff: Duration
    /// Redirects followed when the config allows them.
    public var maxRedirects: Int

    public init(
        maxResponseBytes: Int = 2 * 1024 * 1024, rawResponseBytes: Int = 64 * 1024,
        maxRetryAfter: Duration = .seconds(30), maxBackoff: Duration = .seconds(30), maxRedirects: Int = 5
    ) {
        self.maxResponseBytes = maxResponseBytes
        self.rawResponseBytes = rawResponseBytes
        self.maxRetryAfter = maxRetryAfter
        self.maxBackoff = maxBackoff
        self.maxRedirects = maxRedirects
    }

    public static let standard = ExecutionLimits()
}
