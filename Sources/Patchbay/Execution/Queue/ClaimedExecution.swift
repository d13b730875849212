import Foundation
import JSON

/// A queued execution a worker has claimed and must run: what the `run` closure of an
/// `ExecutionWorker` receives.
public struct ClaimedExecution: Sendable, Hashable {
    public var id: UUID
    /// The tenant to scope the run's own database work to (reading the connector, decrypting its auth).
    public var tenantID: UUID
    public var connectorID: UUID
    /// What the caller stored with the run (already redacted: it never holds a credential).
    public var input: JSON
    /// 1 for the first claim, 2 when the node that first claimed it stopped before it finished.
    public var claims: Int
    public var replayOf: UUID?
    public var createdBy: ExecutionCreator
    public var queuedAt: Date?

    /// Whether an earlier node claimed this run and stopped before finishing it.
    public var isRetry: Bool { claims > 1 }

    /// Identifies this claim of the run: the same run claimed again is a different claim.
    var key: ClaimKey { ClaimKey(id: id, claims: claims) }
}

/// A run and the claim a worker holds on it; the claim count fences the worker's writes.
struct ClaimKey: Hashable, Sendable {
    var id: UUID
    var claims: Int
}
