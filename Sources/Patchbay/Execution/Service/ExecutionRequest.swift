import Foundation
import JSON

/// What one run is given: the values a connector's templates read as `{{input.…}}`,
/// `{{contact.…}}` and `{{workspace.…}}`.
public struct ExecutionRequest: Sendable, Hashable {
    public var input: JSON
    public var contact: JSON
    public var workspace: JSON

    public init(input: JSON = [:], contact: JSON = [:], workspace: JSON = [:]) {
        self.input = input
        self.contact = contact
        self.workspace = workspace
    }

    /// Reads back what `stored` wrote (a replay); members it lacks are empty objects.
    init(stored: JSON) {
        self.init(
            input: stored["input"] ?? [:], contact: stored["contact"] ?? [:],
            workspace: stored["workspace"] ?? [:])
    }

    /// `{input, contact, workspace}`: the row's `input` column, which a replay runs again.
    var stored: JSON {
        ["input": input, "contact": contact, "workspace": workspace]
    }
}

/// What an execute or replay call came to: a finished run, or a queued one (`outcome` nil, status
/// `pending`) that a worker will run.
public struct ExecutionResult: Sendable {
    public var executionID: UUID
    public var connectorID: UUID
    public var status: ExecutionStatus
    /// How the run went; nil while it is queued.
    public var outcome: ExecutionOutcome?

    /// `{execution_id, connector_id, status}` plus, for a finished run, the outcome's members
    /// (`http_status`, `mapped`, `raw_response`, `duration_ms`, `attempts`, `error`, `request`, …).
    public func json() -> JSON {
        var object = outcome?.json().object ?? JSONObject()
        object["execution_id"] = .string(executionID.uuidString.lowercased())
        object["connector_id"] = .string(connectorID.uuidString.lowercased())
        object["status"] = .string(status.rawValue)
        return .object(object)
    }
}

/// A chain to run: connectors in order, each seeing the contact as the earlier ones left it.
public struct ChainRequest: Sendable, Hashable {
    public var connectorIDs: [UUID]
    /// The first connector's `contact`, and the `input` and `workspace` every connector sees.
    public var values: ExecutionRequest

    /// The most connectors one chain may run.
    public static let maxConnectors = 10

    public init(connectorIDs: [UUID], values: ExecutionRequest) {
        self.connectorIDs = connectorIDs
        self.values = values
    }
}

/// What a chain came to, with the connector each step ran.
public struct ChainResult: Sendable {
    public var outcome: ChainOutcome
    /// The connectors asked for, in order; step `n` of the outcome ran `connectorIDs[n]`.
    public var connectorIDs: [UUID]

    /// `ChainOutcome.json()` with each step's `connector_id`.
    public func json() -> JSON {
        guard case .object(var object) = outcome.json(), case .array(let steps)? = object["steps"] else {
            return outcome.json()
        }
        object["steps"] = .array(
            steps.enumerated().map { position, step in
                guard case .object(var members) = step, connectorIDs.indices.contains(position) else {
                    return step
                }
                members["connector_id"] = .string(connectorIDs[position].uuidString.lowercased())
                return .object(members)
            })
        return .object(object)
    }
}
