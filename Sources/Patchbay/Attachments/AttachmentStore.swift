import Foundation
import JSON
import Postgres

/// SQL of the `connector_attachments` table. Every function runs on a connection the caller scoped
/// to the tenant.
enum AttachmentStore {
    private static let select = """
        SELECT id, tenant_id, connector_id, agent_id, alias, config_override, created_at, created_by_name
        FROM connector_attachments
        """

    static func insert(
        _ attachment: Attachment, actorID: UUID?, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO connector_attachments
                (id, tenant_id, connector_id, agent_id, alias, config_override, created_by, created_by_name)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                attachment.id, attachment.tenantID, attachment.connectorID, attachment.agentID,
                attachment.alias, PostgresJSON(JSON.object(attachment.configOverride).serializedString()),
                actorID, attachment.createdBy,
            ])
    }

    static func find(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws
        -> Attachment?
    {
        try await connection.queryFirst(select + " WHERE tenant_id = $1 AND id = $2", [tenantID, id])
            .map(attachment)
    }

    /// An agent's attachments in alias order.
    static func list(agentID: String, tenantID: UUID, on connection: PostgresConnection) async throws
        -> [Attachment]
    {
        try await connection.query(
            select + " WHERE tenant_id = $1 AND agent_id = $2 ORDER BY lower(alias), id", [tenantID, agentID]
        ).map(attachment)
    }

    /// A connector's attachments, by agent and alias.
    static func list(connectorID: UUID, tenantID: UUID, on connection: PostgresConnection) async throws
        -> [Attachment]
    {
        try await connection.query(
            select + " WHERE tenant_id = $1 AND connector_id = $2 ORDER BY agent_id, lower(alias), id",
            [tenantID, connectorID]
        ).map(attachment)
    }

    /// The agent's attachments of one connector, in alias order.
    static func list(
        agentID: String, connectorID: UUID, tenantID: UUID, on connection: PostgresConnection
    ) async throws -> [Attachment] {
        try await connection.query(
            select
                + " WHERE tenant_id = $1 AND agent_id = $2 AND connector_id = $3 ORDER BY lower(alias), id",
            [tenantID, agentID, connectorID]
        ).map(attachment)
    }

    /// Deletes the attachment; returns it as it was, or nil when there was none.
    static func delete(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws
        -> Attachment?
    {
        try await connection.queryFirst(
            """
            DELETE FROM connector_attachments WHERE tenant_id = $1 AND id = $2
            RETURNING id, tenant_id, connector_id, agent_id, alias, config_override, created_at, created_by_name
            """, [tenantID, id]
        ).map(attachment)
    }

    private static func attachment(_ row: PostgresRow) throws -> Attachment {
        let override = (try? JSON(parsing: try row.decode("config_override", as: [UInt8].self)))?.object
        return Attachment(
            id: try row.decode("id"), tenantID: try row.decode("tenant_id"),
            connectorID: try row.decode("connector_id"), agentID: try row.decode("agent_id"),
            alias: try row.decode("alias"), configOverride: override ?? [:],
            createdAt: try row.decode("created_at"), createdBy: try row.decode("created_by_name"))
    }
}
