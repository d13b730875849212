import Foundation
import Postgres

/// A tenant (an organisation or workspace).
public struct Tenant: Sendable, Equatable {
    public var id: UUID
    public var slug: String
    public var name: String
    public var createdAt: Date

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        slug = try row.decode("slug")
        name = try row.decode("name")
        createdAt = try row.decode("created_at")
    }
}

/// A user account (global: one account may belong to several tenants).
public struct User: Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var name: String
    public var isSuperuser: Bool
    public var createdAt: Date

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        email = try row.decode("email")
        name = try row.decode("name")
        isSuperuser = try row.decode("is_superuser")
        createdAt = try row.decode("created_at")
    }
}

/// A member of the current tenant.
public struct Member: Sendable, Equatable {
    public var userID: UUID
    public var email: String
    public var name: String
    public var role: Role
    public var joinedAt: Date

    init(row: PostgresRow) throws {
        userID = try row.decode("user_id")
        email = try row.decode("email")
        name = try row.decode("name")
        role = Role(rawValue: try row.decode("role")) ?? .viewer
        joinedAt = try row.decode("created_at")
    }

    /// The name, or the email when no name was given.
    public var displayName: String { name.isEmpty ? email : name }
}

extension TenantMembership {
    init(row: PostgresRow) throws {
        self.init(
            tenantID: try row.decode("tenant_id"), slug: try row.decode("slug"),
            name: try row.decode("tenant_name"), role: Role(rawValue: try row.decode("role")) ?? .viewer)
    }
}
