/// How this node runs scheduled health checks (which connectors are checked, and how often, is
/// each connector's own setting).
public struct HealthCheckSettings: Sendable {
    /// How often the node looks for due checks; zero turns scheduled checks off on this node.
    public var pollInterval: Duration
    /// Failed checks in a row that put an active connector in `error`.
    public var failureThreshold: Int
    /// Checks claimed at once; a full batch is followed by another claim without waiting.
    public var batchSize: Int
    /// Checks running at the same time on this node.
    public var concurrency: Int

    public init(
        pollInterval: Duration = .seconds(30), failureThreshold: Int = 3, batchSize: Int = 20,
        concurrency: Int = 4
    ) {
        self.pollInterval = pollInterval
        self.failureThreshold = max(1, failureThreshold)
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
    }

    public var isEnabled: Bool { pollInterval > .zero }
}
