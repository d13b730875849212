import Foundation
import Postgres

/// An API token as listed: never the secret itself, only its display prefix.
public struct APIToken: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// `pb_` and the first characters of the secret, to tell tokens apart.
    public var displayPrefix: String
    public var role: Role
    public var createdBy: UUID?
    /// The creator's email, "" when unknown (command line) or deleted.
    public var createdByEmail: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var lastUsedAt: Date?
    /// The agent the token acts for (a viewer token that may also query that agent's attachments).
    public var agentID: String?

    static let select = """
        SELECT k.id, k.name, k.display_prefix, k.role, k.created_by, coalesce(u.email, '') AS created_by_email,
               k.created_at, k.expires_at, k.revoked_at, k.last_used_at, k.agent_id
        FROM api_tokens k LEFT JOIN users u ON u.id = k.created_by
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        name = try row.decode("name")
        displayPrefix = try row.decode("display_prefix")
        role = Role(rawValue: try row.decode("role")) ?? .viewer
        createdBy = try row.decode("created_by")
        createdByEmail = try row.decode("created_by_email")
        createdAt = try row.decode("created_at")
        expiresAt = try row.decode("expires_at")
        revokedAt = try row.decode("revoked_at")
        lastUsedAt = try row.decode("last_used_at")
        agentID = try row.decode("agent_id")
    }

    /// "active", "revoked" or "expired" at `now`.
    public func status(at now: Date = Date()) -> String {
        if revokedAt != nil { return "revoked" }
        if let expiresAt, expiresAt <= now { return "expired" }
        return "active"
    }
}

/// A token just created, with its secret: show it once, it cannot be recovered.
public struct NewAPIToken: Sendable {
    public var token: APIToken
    public var secret: String
}
