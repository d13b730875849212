import Foundation
import JSON

/// An installed connector handed to an agent under an alias, with settings of its own.
///
/// The agent is a service outside Patchbay, known only by the opaque id its caller gives. The
/// attachment holds settings only: credentials stay with the connector and never leave Patchbay.
public struct Attachment: Sendable, Equatable {
    /// The instance id agents and the API use for this attachment.
    public var id: UUID
    public var tenantID: UUID
    public var connectorID: UUID
    public var agentID: String
    public var alias: String
    /// Top-level settings that replace the connector's for this agent.
    public var configOverride: JSONObject
    public var createdAt: Date
    public var createdBy: String
}

/// What a caller asks to attach: checked by `AttachmentRules` against the connector's pinned version.
public struct AttachmentDraft: Sendable {
    public var agentID: String
    public var alias: String
    public var configOverride: JSONObject

    public init(agentID: String, alias: String, configOverride: JSONObject = [:]) {
        self.agentID = agentID
        self.alias = alias
        self.configOverride = configOverride
    }
}

/// An attachment with its connector, as an agent's list shows it: the effective settings and what is
/// known about the credentials (set, fingerprint), never their values.
public struct AttachedConnector: Sendable {
    public var attachment: Attachment
    public var connector: Connector
    /// The connector's pinned catalog version (which credentials its method shows).
    public var type: ConnectorType
    /// The connector's settings with the override laid over them.
    public var effectiveConfig: JSONObject
}

extension Attachment {
    /// `base` with the override's members replacing the connector's.
    func effectiveConfig(over base: JSONObject) -> JSONObject {
        var merged = base
        for (key, value) in configOverride { merged[key] = value }
        return merged
    }
}
