import Foundation

/// A tenant as the signed-in caller sees it: which one, and their role in it.
public struct TenantMembership: Sendable, Equatable {
    public var tenantID: UUID
    public var slug: String
    public var name: String
    public var role: Role

    public init(tenantID: UUID, slug: String, name: String, role: Role) {
        self.tenantID = tenantID
        self.slug = slug
        self.name = name
        self.role = role
    }
}

/// Who is making a request: a user through a browser session, or an API token.
public struct Identity: Sendable {
    /// How the caller proved who they are.
    public enum Method: Sendable, Equatable {
        /// A browser session cookie; unsafe requests must carry `csrfToken`.
        case session(id: UUID, csrfToken: String)
        /// `Authorization: Bearer pb_...`; bound to one tenant and role, no CSRF needed.
        case token(id: UUID, name: String)
    }

    /// The user; for an API token, the user who created it (nil for tokens made at the command line
    /// or whose creator was deleted).
    public var userID: UUID?
    /// The user's email; for an API token, its creator's (or "").
    public var email: String
    /// The user's name; for an API token, the token's name.
    public var name: String
    /// The current tenant and role; nil for a user who belongs to no tenant yet.
    public var tenant: TenantMembership?
    /// Platform superuser; always false for API tokens.
    public var isSuperuser: Bool
    public var method: Method
    /// Every tenant the user belongs to (for the tenant switcher); empty for API tokens.
    public var memberships: [TenantMembership]
    /// For an API token bound to an agent: the agent's id. Such a token reads like a viewer and may
    /// query the connectors attached to its agent (`Requirement.roleOrAgent`).
    public var agentID: String?

    public init(
        userID: UUID?, email: String, name: String, tenant: TenantMembership?, isSuperuser: Bool,
        method: Method, memberships: [TenantMembership] = [], agentID: String? = nil
    ) {
        self.userID = userID
        self.email = email
        self.name = name
        self.tenant = tenant
        self.isSuperuser = isSuperuser
        self.method = method
        self.memberships = memberships
        self.agentID = agentID
    }

    /// The session id, for session identities.
    public var sessionID: UUID? {
        if case .session(let id, _) = method { return id }
        return nil
    }

    /// The per-session CSRF token, for session identities.
    public var csrfToken: String? {
        if case .session(_, let token) = method { return token }
        return nil
    }

    /// The API token id, for token identities.
    public var tokenID: UUID? {
        if case .token(let id, _) = method { return id }
        return nil
    }

    /// Whether the caller may perform `action` (for hiding buttons; services still check).
    public func can(_ action: Action) -> Bool {
        (try? Authorization.require(action, self)) != nil
    }

    /// What the audit log records as the actor.
    public var auditLabel: String {
        switch method {
        case .session: email
        case .token(_, let name): email.isEmpty ? "API token \(name)" : "API token \(name) (\(email))"
        }
    }

    /// The signed-in user behind a browser session; API tokens are refused with 403, since profile
    /// and session actions belong to a person.
    public func sessionUser() throws -> (userID: UUID, sessionID: UUID) {
        guard case .session(let sessionID, _) = method, let userID else {
            throw AppError(.forbidden, "This needs a signed-in user; API tokens cannot do it.")
        }
        return (userID, sessionID)
    }

    /// A name to show: the user's name, or their email when they gave none.
    public var displayName: String { name.isEmpty ? email : name }
}
