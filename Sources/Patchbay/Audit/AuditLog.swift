import Foundation
import JSON
import Postgres

/// The append-only audit log. `record` runs on the caller's connection, inside the transaction that
/// makes the change, so a change and its event commit or roll back together.
public enum AuditLog {
    /// The most events one page returns.
    public static let maximumPageSize = 200

    /// Appends `entry`.
    public static func record(_ entry: AuditEntry, request: RequestInfo, on connection: PostgresConnection)
        async throws
    {
        let details = JSON.object(AuditRedaction.redact(entry.details)).serializedString()
        try await connection.execute(
            """
            INSERT INTO audit_events
                (tenant_id, actor_user_id, actor_token_id, actor_label, action, target_type, target_id,
                 request_id, ip, details)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [
                entry.tenantID, entry.actor.userID, entry.actor.tokenID, entry.actor.label, entry.action,
                entry.targetType, entry.targetID, request.requestID, request.ip, PostgresJSON(details),
            ])
    }

    /// A page of the tenant's events, newest first, older than the cursor `before` when given.
    public static func page(
        tenantID: UUID, limit: Int, before: Int64?, on connection: PostgresConnection
    ) async throws -> AuditPage {
        let size = min(max(limit, 1), maximumPageSize)
        let rows = try await connection.query(
            """
            SELECT id, actor_label, actor_user_id, action, target_type, target_id, request_id, ip, details,
                   created_at
            FROM audit_events
            WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2)
            ORDER BY id DESC
            LIMIT $3
            """, [tenantID, before, size + 1])
        var events: [AuditEvent] = []
        for row in rows.prefix(size) {
            let details = try row.decode("details", as: PostgresJSON.self).text
            events.append(
                AuditEvent(
                    id: try row.decode("id"), actorLabel: try row.decode("actor_label"),
                    actorUserID: try row.decode("actor_user_id"), action: try row.decode("action"),
                    targetType: try row.decode("target_type"), targetID: try row.decode("target_id"),
                    requestID: try row.decode("request_id"), ip: try row.decode("ip"),
                    details: (try? JSON(parsing: details)) ?? .object([:]),
                    createdAt: try row.decode("created_at")))
        }
        return AuditPage(events: events, nextCursor: rows.count > size ? events.last?.id : nil)
    }
}
