import FoundationEssentials
import JSON

/// One connector of a chain: its name (for the outcome and messages), config and decrypted auth.
public struct ChainLink: Sendable {
    public var name: String
    public var config: JSON
    public var auth: JSON

    public init(name: String, config: JSON, auth: JSON) {
        self.name = name
        self.config = config
        self.auth = auth
    }
}

/// How a chain's caller records each run, typically as `connector_executions` rows going
/// pending → executing → completed | failed.
public struct ChainRecorder: Sendable {
    /// Called before link number `position` (0-based) runs, with the contact it will see; returns the
    /// id of the execution recorded for it. A thrown error stops the chain (`recording`).
    public var willRun:
        @Sendable (_ position: Int, _ link: ChainLink, _ contact: JSONObject) async throws -> UUID?
    /// Called after the run with the id `willRun` returned and the outcome to store.
    public var didRun: @Sendable (_ executionID: UUID?, _ outcome: ExecutionOutcome) async -> Void

    public init(
        willRun: @escaping @Sendable (Int, ChainLink, JSONObject) async throws -> UUID?,
        didRun: @escaping @Sendable (UUID?, ExecutionOutcome) async -> Void
    ) {
        self.willRun = willRun
        self.didRun = didRun
    }

    /// Records nothing.
    public static let none = ChainRecorder(willRun: { _, _, _ in nil }, didRun: { _, _ in })
}

/// What a chain came to.
public struct ChainOutcome: Sendable {
    /// One connector that ran, its recorded execution and its outcome.
    public struct Step: Sendable {
        public var name: String
        public var executionID: UUID?
        public var outcome: ExecutionOutcome
    }

    public var status: ExecutionOutcome.Status
    /// The contact after every completed connector's mapped fields were merged in.
    public var contact: JSONObject
    /// The connectors that ran, in order.
    public var steps: [Step]
    /// Connectors that did not run because an earlier one failed.
    public var skipped: [String]
    /// Why the chain stopped, naming the connector (`step`); nil when every connector completed.
    public var error: ExecutionFailure?
    public var durationMs: Int
}
