import Foundation
import Postgres

/// A single-use link that makes whoever opens it (signed in) a member with `role`.
public struct Invite: Sendable, Equatable {
    public var id: UUID
    public var role: Role
    public var createdByEmail: String
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?
    public var acceptedByEmail: String
    public var revokedAt: Date?

    static let select = """
        SELECT i.id, i.role, coalesce(c.email, '') AS created_by_email, i.created_at, i.expires_at,
               i.accepted_at, coalesce(a.email, '') AS accepted_by_email, i.revoked_at
        FROM invites i
        LEFT JOIN users c ON c.id = i.created_by
        LEFT JOIN users a ON a.id = i.accepted_by
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        role = Role(rawValue: try row.decode("role")) ?? .viewer
        createdByEmail = try row.decode("created_by_email")
        createdAt = try row.decode("created_at")
        expiresAt = try row.decode("expires_at")
        acceptedAt = try row.decode("accepted_at")
        acceptedByEmail = try row.decode("accepted_by_email")
        revokedAt = try row.decode("revoked_at")
    }

    /// "pending", "accepted", "revoked" or "expired" at `now`.
    public func status(at now: Date = Date()) -> String {
        if acceptedAt != nil { return "accepted" }
        if revokedAt != nil { return "revoked" }
        return expiresAt <= now ? "expired" : "pending"
    }
}

/// An invite just created, with the secret of its link (`/invites/<token>`), shown once.
public struct NewInvite: Sendable {
    public var invite: Invite
    public var token: String
}

/// What the person holding an invite link sees before accepting.
public struct InvitePreview: Sendable {
    public var tenantName: String
    public var role: Role
    public var expiresAt: Date
}
