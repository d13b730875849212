import HTTPServer
import JSON
import Patchbay

/// `/api/v1`: the caller, the audit log, API tokens and members, as JSON. Bearer tokens or a session
/// cookie (with `X-CSRF-Token` on unsafe requests).
struct IdentityAPIRoutes {
    let services: IdentityServices

    func register(on api: RouteGroup<PatchbayContext>) {
        api.get("/me", routeInfo("The caller: user, tenant, role and permissions", .meRead)) {
            _, context in
            let identity = try Authorization.require(.meRead, context.identity)
            return APIJSON.respond(APIJSON.me(identity))
        }
        api.get("/audit-events", routeInfo("The tenant's audit events, newest first", .auditRead)) {
            request, context in
            let limit = try Self.queryInt(request, "limit") ?? 50
            let before = try Self.queryInt(request, "before").map(Int64.init)
            let page = try await services.audit.page(limit: limit, before: before, context.identity)
            let cursor: JSON = page.nextCursor.map { .int($0) } ?? .null
            return APIJSON.respond(["events": .array(page.events.map(APIJSON.event)), "next_cursor": cursor])
        }
        registerTokens(on: api)
        registerMembers(on: api)
    }

    private func registerTokens(on api: RouteGroup<PatchbayContext>) {
        api.get("/tokens", routeInfo("The tenant's API tokens", .tokensManage)) { _, context in
            let tokens = try await services.tokens.list(context.identity)
            return APIJSON.respond(["tokens": .array(tokens.map(APIJSON.token))])
        }
        api.post("/tokens", routeInfo("Create an API token; the secret is returned once", .tokensManage)) {
            request, context in
            let body = try APIJSON.body(request)
            // A token bound to an agent is a viewer token: its role may be left out.
            let agentID = try APIJSON.string(body, "agent_id", required: false)
            let role = agentID != nil && body["role"] == nil ? Role.viewer : try APIJSON.role(body)
            let created = try await services.tokens.create(
                name: try APIJSON.string(body, "name") ?? "", role: role,
                expiresInDays: try APIJSON.int(body, "expires_in_days"), agentID: agentID,
                by: context.identity,
                request: context.requestInfo(request))
            return APIJSON.respond(
                ["token": APIJSON.token(created.token), "secret": .string(created.secret)], status: .created)
        }
        api.delete("/tokens/{token_id}", routeInfo("Revoke an API token", .tokensManage)) {
            request, context in
            let token = try await services.tokens.revoke(
                id: try MemberRoutes.id(request, "token_id", "The API token"), context.identity,
                request: context.requestInfo(request))
            return APIJSON.respond(["token": APIJSON.token(token)])
        }
    }

    private func registerMembers(on api: RouteGroup<PatchbayContext>) {
        api.get("/members", routeInfo("Members of the tenant", .membersRead)) { _, context in
            let members = try await services.members.list(context.identity)
            return APIJSON.respond(["members": .array(members.map(APIJSON.member))])
        }
        api.post("/members", routeInfo("Add an existing account as a member", .membersManage)) {
            request, context in
            let body = try APIJSON.body(request)
            let member = try await services.members.add(
                email: try APIJSON.string(body, "email") ?? "", role: try APIJSON.role(body),
                context.identity,
                request: context.requestInfo(request))
            return APIJSON.respond(["member": APIJSON.member(member)], status: .created)
        }
        api.patch("/members/{user_id}", routeInfo("Change a member's role", .membersManage)) {
            request, context in
            let userID = try MemberRoutes.id(request, "user_id", "The member")
            let body = try APIJSON.body(request)
            let member = try await services.members.changeRole(
                userID: userID, to: try APIJSON.role(body), context.identity,
                request: context.requestInfo(request))
            return APIJSON.respond(["member": APIJSON.member(member)])
        }
        api.delete("/members/{user_id}", routeInfo("Remove a member", .membersManage)) { request, context in
            try await services.members.remove(
                userID: try MemberRoutes.id(request, "user_id", "The member"), context.identity,
                request: context.requestInfo(request))
            return HTTPResponse(status: .noContent)
        }
    }

    static func queryInt(_ request: HTTPRequest, _ name: String) throws -> Int? {
        guard let text = request.query[name] else { return nil }
        guard let value = Int(text) else { throw AppError.validation([name: ["must be a whole number"]]) }
        return value
    }
}
