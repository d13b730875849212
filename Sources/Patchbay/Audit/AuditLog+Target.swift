import Foundation
import JSON
import Postgres

extension AuditLog {
    /// The events about one object (a connector's history), newest first.
    public static func events(
        tenantID: UUID, targetType: String, targetID: String, limit: Int, on connection: PostgresConnection
    ) async throws -> [AuditEvent] {
        let rows = try await connection.query(
            """
            SELECT id, actor_label, actor_user_id, action, target_type, target_id, request_id, ip, details,
                   created_at
            FROM audit_events
            WHERE tenant_id = $1 AND target_type = $2 AND target_id = $3
            ORDER BY id DESC
            LIMIT $4
            """, [tenantID, targetType, targetID, min(max(limit, 1), maximumPageSize)])
        return try rows.map { row in
            let details = try row.decode("details", as: PostgresJSON.self).text
            return AuditEvent(
                id: try row.decode("id"), actorLabel: try row.decode("actor_label"),
                actorUserID: try row.decode("actor_user_id"), action: try row.decode("action"),
                targetType: try row.decode("target_type"), targetID: try row.decode("target_id"),
                requestID: try row.decode("request_id"), ip: try row.decode("ip"),
                details: (try? JSON(parsing: details)) ?? .object([:]),
                createdAt: try row.decode("created_at"))
        }
    }
}
