import Foundation
import Postgres

/// Creating and finding tenants. Creation also makes the tenant's first data key and an audit event,
/// all in one transaction.
public struct TenantService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    /// Creates a tenant; 409 if the slug is taken.
    public func create(slug: String, name: String?, actor: AuditActor, request: RequestInfo) async throws
        -> Tenant
    {
        let slug = try Validation.slug(slug)
        let name = try Validation.name(name ?? slug)
        do {
            return try await environment.database.system { connection in
                let row = try await connection.queryFirst(
                    "INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id, slug, name, created_at",
                    [slug, name])
                guard let row else { throw AppError(.internal, "The workspace was not created.") }
                let tenant = try Tenant(row: row)
                try await environment.tenantKeys.createFirstKey(for: tenant.id, on: connection)
                try await AuditLog.record(
                    AuditEntry(
                        tenantID: tenant.id, actor: actor, action: "tenant.created", targetType: "tenant",
                        targetID: tenant.id.uuidString.lowercased(),
                        details: ["slug": .string(slug), "name": .string(name)]),
                    request: request, on: connection)
                return tenant
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AppError(.conflict, "A workspace with the slug '\(slug)' already exists.")
        }
    }

    /// The tenant with `slug`, or nil.
    public func find(slug: String) async throws -> Tenant? {
        try await environment.database.system(readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT id, slug, name, created_at FROM tenants WHERE slug = $1", [slug.lowercased()]
            ).map(Tenant.init(row:))
        }
    }

    /// The tenant with `slug`, or a 404 naming it.
    public func require(slug: String) async throws -> Tenant {
        guard let tenant = try await find(slug: slug) else {
            throw AppError(.notFound, "No workspace has the slug '\(slug)'.")
        }
        return tenant
    }

    /// Every tenant `userID` belongs to, with their role, in the order they joined.
    public func memberships(of userID: UUID) async throws -> [TenantMembership] {
        try await environment.database.system(readOnly: true) { connection in
            try await connection.query(
                """
                SELECT m.tenant_id, t.slug, t.name AS tenant_name, m.role
                FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                WHERE m.user_id = $1
                ORDER BY m.created_at, t.slug
                """, [userID]
            ).map(TenantMembership.init(row:))
        }
    }
}
