import HTTPServer
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

/// What a route declares about itself: a summary for the OpenAPI document and the RBAC action its
/// service checks (nil on public routes). The route-table tests read both from the metadata.
struct RouteInfo: Sendable {
    var summary: String
    var action: Action?
    /// A dashboard page (HTML), as opposed to the JSON API.
    var isPage: Bool

    var metadata: [String: String] {
        var metadata = ["summary": summary]
        if let action { metadata["action"] = action.rawValue }
        if isPage { metadata["page"] = "true" }
        return metadata
    }

    /// Checks the declared action before the handler parses any input, so a caller whose role is
    /// too low gets 403 whatever they sent (the service checks again: defence in depth).
    func guarding(_ handler: @escaping Responder<PatchbayContext>) -> Responder<PatchbayContext> {
        guard let action else { return handler }
        return { request, context in
            try Authorization.require(action, context.identity)
            return try await handler(request, context)
        }
    }
}

func routeInfo(_ summary: String, _ action: Action? = nil, page: Bool = false) -> RouteInfo {
    RouteInfo(summary: summary, action: action, isPage: page)
}

/// Registration with a `RouteInfo`: its metadata goes into the route table and its RBAC action is checked
/// before the handler runs, on the router and on every group alike.
extension RouteRegistrar where Context == PatchbayContext {
    @discardableResult
    func get(_ path: String, _ info: RouteInfo, handler: @escaping Responder<Context>) -> Self {
        on(.get, path, metadata: info.metadata, handler: info.guarding(handler))
    }

    @discardableResult
    func post(_ path: String, _ info: RouteInfo, handler: @escaping Responder<Context>) -> Self {
        on(.post, path, metadata: info.metadata, handler: info.guarding(handler))
    }

    @discardableResult
    func put(_ path: String, _ info: RouteInfo, handler: @escaping Responder<Context>) -> Self {
        on(.put, path, metadata: info.metadata, handler: info.guarding(handler))
    }

    @discardableResult
    func patch(_ path: String, _ info: RouteInfo, handler: @escaping Responder<Context>) -> Self {
        on(.patch, path, metadata: info.metadata, handler: info.guarding(handler))
    }

    @discardableResult
    func delete(_ path: String, _ info: RouteInfo, handler: @escaping Responder<Context>) -> Self {
        on(.delete, path, metadata: info.metadata, handler: info.guarding(handler))
    }
}
