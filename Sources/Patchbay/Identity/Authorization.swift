import Foundation

/// The service layer's gate: every service method starts by asking it.
///
/// 401 (`unauthorized`) when nobody is signed in, 403 (`forbidden`) when the role is too low. An
/// object of another tenant is never checked here: services look objects up inside the caller's
/// tenant scope, so they simply do not exist (404) and their ids reveal nothing.
///
/// Platform superusers pass every role check in the tenant they are working in (they administer the
/// platform); API tokens never count as superusers.
public enum Authorization {
    /// Checks that `identity` may perform `action` and returns it.
    @discardableResult
    public static func require(_ action: Action, _ identity: Identity?) throws -> Identity {
        guard let identity else {
            throw AppError(.unauthorized, "Sign in or send an API token to continue.")
        }
        switch action.requirement {
        case .authenticated:
            return identity
        case .superuser:
            guard identity.isSuperuser else {
                throw AppError(.forbidden, "Only platform administrators can do this.")
            }
            return identity
        case .role(let minimum):
            return try requireRole(minimum, identity)
        case .roleOrAgent(let minimum):
            if identity.agentID != nil, identity.tenant != nil { return identity }
            return try requireRole(minimum, identity)
        }
    }

    private static func requireRole(_ minimum: Role, _ identity: Identity) throws -> Identity {
        guard let tenant = identity.tenant else {
            throw AppError(
                .forbidden,
                "You are not a member of any workspace yet. Ask a workspace owner for an invite.")
        }
        guard tenant.role >= minimum || identity.isSuperuser else {
            throw AppError(
                .forbidden,
                "This needs the \(minimum.rawValue) role or higher; your role in this workspace is "
                    + "\(tenant.role.rawValue).")
        }
        return identity
    }

    /// Checks a tenant action and returns the caller with their current tenant.
    public static func tenant(for action: Action, _ identity: Identity?) throws -> Caller {
        let identity = try require(action, identity)
        guard let tenant = identity.tenant else {
            throw AppError(
                .forbidden, "You are not a member of any workspace yet. Ask a workspace owner for an invite.")
        }
        return Caller(identity: identity, tenant: tenant)
    }
}

/// A caller allowed to act in their current tenant.
public struct Caller: Sendable {
    public let identity: Identity
    public let tenant: TenantMembership

    public var tenantID: UUID { tenant.tenantID }
    /// The role that bounds what the caller may hand out (superusers count as owners).
    public var effectiveRole: Role { identity.isSuperuser ? .owner : tenant.role }
    public var actor: AuditActor { AuditActor(identity) }
}
