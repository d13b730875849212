import Foundation
import JSON

/// Where an execution is in its life: pending (queued) → executing → completed | failed.
public enum ExecutionStatus: String, Sendable, Hashable, CaseIterable {
    case pending, executing, completed, failed

    /// Whether the run is over.
    public var isFinished: Bool { self == .completed || self == .failed }
}

/// How an execution was asked for: in the request that waits for it, or queued for any node.
public enum ExecutionMode: String, Sendable, Hashable {
    case sync, async
}

/// Who asked for an execution, as the History panel shows it.
public struct ExecutionCreator: Sendable, Hashable {
    /// The user (nil for API tokens made at the command line and for deleted users).
    public var userID: UUID?
    /// A name people recognise: the user's name or the API token's.
    public var name: String

    public init(userID: UUID?, name: String) {
        self.userID = userID
        self.name = name
    }
}

/// One execution without its JSON documents: what a History list shows.
public struct ExecutionSummary: Sendable, Hashable {
    public var id: UUID
    public var tenantID: UUID
    public var connectorID: UUID
    public var status: ExecutionStatus
    public var mode: ExecutionMode
    /// The last response's status code, when one came back.
    public var httpStatus: Int?
    /// Why the run failed; nil unless `status` is `failed`.
    public var error: String?
    /// An `ExecutionFailure.Kind` raw value, or `node_lost` when the nodes running it stopped.
    public var errorKind: String?
    /// The step of a multi-step connector that failed.
    public var errorStep: String?
    /// Requests sent, retries included.
    public var attempts: Int
    public var durationMs: Int?
    public var createdAt: Date
    public var queuedAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The node that claimed the run last (queued runs only).
    public var leaseOwner: String?
    /// How many times a worker claimed the run (0 for synchronous runs; 2 after a retry).
    public var claims: Int
    /// The execution this one replays.
    public var replayOf: UUID?
    public var createdBy: ExecutionCreator
}

/// One execution with what it was given and what it came to.
public struct ExecutionRecord: Sendable, Hashable {
    public var summary: ExecutionSummary
    /// What the caller stored when it started the run (redacted by the caller).
    public var input: JSON
    /// The last request sent, credentials redacted: `{method, url, headers, body}`.
    public var request: JSON?
    /// `{mapped, mapping_problems, raw_response, raw_response_truncated, steps, skipped_steps}`; nil
    /// until the run finishes.
    public var output: JSON?

    public var id: UUID { summary.id }
    public var status: ExecutionStatus { summary.status }
}

/// A page of a connector's executions, newest first.
public struct ExecutionPage: Sendable {
    public var executions: [ExecutionSummary]
    /// Pass as `before` to get the next (older) page; nil on the last page.
    public var next: ExecutionCursor?
}

/// What `ExecutionStore.replay` hands back to run again.
public struct ExecutionReplay: Sendable, Hashable {
    /// The execution being replayed (pass as `replayOf` when starting the new one).
    public var executionID: UUID
    public var connectorID: UUID
    /// The input stored with it.
    public var input: JSON
}
