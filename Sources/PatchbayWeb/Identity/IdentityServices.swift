import Patchbay

/// The identity services the routes use, built once from the environment.
struct IdentityServices: Sendable {
    let sessions: SessionService
    let tokens: APITokenService
    let tenants: TenantService
    let members: MemberService
    let invites: InviteService
    let profile: ProfileService
    let audit: AuditService

    init(environment: AppEnvironment) {
        sessions = SessionService(environment: environment)
        tokens = APITokenService(environment: environment)
        tenants = TenantService(environment: environment)
        members = MemberService(environment: environment)
        invites = InviteService(environment: environment)
        profile = ProfileService(environment: environment)
        audit = AuditService(environment: environment)
    }
}

/// Route metadata: a summary for the OpenAPI document and the RBAC action the route's service
/// checks (absent on public routes), which the route-table tests read.
func routeInfo(_ summary: String, _ action: Action? = nil) -> [String: String] {
    var metadata = ["summary": summary]
    if let action { metadata["action"] = action.rawValue }
    return metadata
}
