/// Reading the audit log (admins of the tenant).
public struct AuditService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    /// A page of the caller's tenant's events, newest first.
    public func page(limit: Int = 50, before: Int64? = nil, _ identity: Identity?) async throws -> AuditPage {
        let caller = try Authorization.tenant(for: .auditRead, identity)
        return try await environment.database.tenant(caller.tenantID, readOnly: true) { connection in
            try await AuditLog.page(tenantID: caller.tenantID, limit: limit, before: before, on: connection)
        }
    }
}
