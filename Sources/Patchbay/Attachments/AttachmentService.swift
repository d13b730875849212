import Foundation
import JSON
import Postgres

/// Agent attachments: installed connectors handed to agents under aliases, with per-agent settings.
///
/// Like `ConnectorService`, every method checks its RBAC action first and works in the caller's
/// tenant scope (another tenant's connector or attachment is a 404); attaching and detaching commit
/// with their audit event, recorded against the connector so its history shows them.
public struct AttachmentService: Sendable {
    public let connectors: ConnectorService

    public init(connectors: ConnectorService) { self.connectors = connectors }

    var database: Database { connectors.environment.database }

    /// Attaches connector `connectorID` to `draft.agentID`. Invalid input is a 422 per field (an
    /// override that names a credential, an unknown setting, or makes the settings invalid); an
    /// alias the agent already uses, in any case, is a 409 on `alias`.
    public func attach(
        connectorID: UUID, _ draft: AttachmentDraft, _ identity: Identity?, request: RequestInfo
    ) async throws -> AttachedConnector {
        let caller = try Authorization.tenant(for: .connectorAttach, identity)
        let connector = try await connectors.read(connectorID, caller)
        let type = try await connectors.types.version(connector.catalog.versionID, tenantID: caller.tenantID)
        var errors: [String: [String]] = [:]
        let agentID = AttachmentRules.agentID(draft.agentID, &errors)
        let alias = AttachmentRules.alias(draft.alias, &errors)
        AttachmentRules.override(draft.configOverride, base: connector.config, type: type, &errors)
        guard errors.isEmpty else { throw AppError.validation(errors) }

        let attachment = Attachment(
            id: UUID(), tenantID: caller.tenantID, connectorID: connector.id, agentID: agentID, alias: alias,
            configOverride: draft.configOverride, createdAt: Date(), createdBy: caller.actorName)
        do {
            let stored = try await database.tenant(caller.tenantID) { connection in
                try await AttachmentStore.insert(attachment, actorID: caller.identity.userID, on: connection)
                guard
                    let stored = try await AttachmentStore.find(
                        attachment.id, tenantID: caller.tenantID, on: connection)
                else { throw AppError(.internal, "The attachment was not saved.") }
                try await record(
                    "connector.attached", stored, connector: connector, caller, request, connection)
                return stored
            }
            return AttachedConnector(
                attachment: stored, connector: connectors.ordered(connector, type), type: type,
                effectiveConfig: stored.effectiveConfig(over: connector.config))
        } catch let error as PostgresError
            where error.isUniqueViolation && error.constraint == "connector_attachments_agent_alias_key"
        {
            throw Self.aliasTaken(alias, agentID: agentID)
        } catch let error as PostgresError where error.isForeignKeyViolation {
            // The connector was deleted between the check and the insert.
            throw AppError.notFound("The connector")
        }
    }

    /// The connectors attached to `agentID`, in alias order, with their effective settings. An agent
    /// with none (or unknown here: agents live outside Patchbay) has an empty list.
    public func connectors(ofAgent agentID: String, _ identity: Identity?) async throws -> [AttachedConnector]
    {
        let caller = try Authorization.tenant(for: .attachmentsRead, identity)
        guard AttachmentRules.isAgentID(agentID) else {
            throw AppError.validation(["agent_id": [AttachmentRules.agentIDRule]])
        }
        let pairs = try await database.tenant(caller.tenantID, readOnly: true) { connection in
            var pairs: [(Attachment, Connector)] = []
            for attachment in try await AttachmentStore.list(
                agentID: agentID, tenantID: caller.tenantID, on: connection)
            {
                guard
                    let stored = try await ConnectorStore.find(
                        attachment.connectorID, tenantID: caller.tenantID, on: connection)
                else { continue }
                pairs.append((attachment, stored.connector))
            }
            return pairs
        }
        var attached: [AttachedConnector] = []
        for (attachment, connector) in pairs {
            let type = try await connectors.types.version(
                connector.catalog.versionID, tenantID: caller.tenantID)
            attached.append(
                AttachedConnector(
                    attachment: attachment, connector: connectors.ordered(connector, type), type: type,
                    effectiveConfig: attachment.effectiveConfig(over: connector.config)))
        }
        return attached
    }

    /// A connector's attachments (its detail page), by agent and alias; 404 for an unknown connector.
    public func attachments(ofConnector connectorID: UUID, _ identity: Identity?) async throws -> [Attachment]
    {
        let caller = try Authorization.tenant(for: .attachmentsRead, identity)
        return try await database.tenant(caller.tenantID, readOnly: true) { connection in
            guard try await ConnectorStore.find(connectorID, tenantID: caller.tenantID, on: connection) != nil
            else { throw AppError.notFound("The connector") }
            return try await AttachmentStore.list(
                connectorID: connectorID, tenantID: caller.tenantID, on: connection)
        }
    }

    /// Removes an attachment; returns it as it was. 404 for an unknown (or another tenant's) id.
    @discardableResult
    public func detach(instanceID: UUID, _ identity: Identity?, request: RequestInfo) async throws
        -> Attachment
    {
        let caller = try Authorization.tenant(for: .connectorAttach, identity)
        return try await database.tenant(caller.tenantID) { connection in
            guard
                let removed = try await AttachmentStore.delete(
                    instanceID, tenantID: caller.tenantID, on: connection)
            else { throw AppError.notFound("The attachment") }
            let connector = try await ConnectorStore.find(
                removed.connectorID, tenantID: caller.tenantID, on: connection)
            try await record(
                "connector.detached", removed, connector: connector?.connector, caller, request, connection)
            return removed
        }
    }

    /// The attachments of `connectorID` to `agentID` (what an agent's token may query through).
    func attachments(agentID: String, connectorID: UUID, tenantID: UUID) async throws -> [Attachment] {
        try await database.tenant(tenantID, readOnly: true) { connection in
            try await AttachmentStore.list(
                agentID: agentID, connectorID: connectorID, tenantID: tenantID, on: connection)
        }
    }

    private func record(
        _ action: String, _ attachment: Attachment, connector: Connector?, _ caller: Caller,
        _ request: RequestInfo, _ connection: PostgresConnection
    ) async throws {
        var details: JSONObject = [
            "instance_id": .string(attachment.id.uuidString.lowercased()),
            "agent_id": .string(attachment.agentID), "alias": .string(attachment.alias),
            "overridden": .array(attachment.configOverride.keys.sorted().map(JSON.string)),
        ]
        if let connector { details["name"] = .string(connector.name) }
        try await AuditLog.record(
            AuditEntry(
                tenantID: caller.tenantID, actor: caller.actor, action: action, targetType: "connector",
                targetID: attachment.connectorID.uuidString.lowercased(), details: details),
            request: request, on: connection)
    }

    /// An alias the agent already uses (also when two attaches race): the unique index decides.
    static func aliasTaken(_ alias: String, agentID: String) -> AppError {
        AppError(
            .conflict, "Agent \(agentID) already has a connector attached as “\(alias)”.",
            fields: ["alias": ["is already used by this agent (aliases ignore case)"]])
    }
}
