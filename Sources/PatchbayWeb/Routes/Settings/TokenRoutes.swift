import HTTPServer
import Patchbay
import Templating

/// `/settings/tokens`: admins create API tokens (the secret is shown once), list and revoke them.
struct TokenRoutes {
    let settings: SettingsPages
    var services: IdentityServices { settings.services }

    func register(on group: RouteGroup<PatchbayContext>) {
        group.get("/tokens", routeInfo("API tokens", .tokensManage, page: true)) { request, context in
            try await page(request, context)
        }
        group.post("/tokens", routeInfo("Create an API token", .tokensManage, page: true)) {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, createError: $0) }
            ) {
                let form = request.formFields
                let created = try await services.tokens.create(
                    name: form["name"] ?? "", role: try MemberRoutes.role(form["role"]),
                    expiresInDays: try MemberRoutes.days(form["expires_in_days"]), agentID: form["agent_id"],
                    by: context.identity, request: context.requestInfo(request))
                // The secret exists only in this response: render it here, never after a redirect.
                var response = try await page(request, context, created: created)
                if request.isHTMX {
                    response.headers.add(
                        name: "HX-Trigger",
                        value: Flash.toastTrigger("Token “\(created.token.name)” created.", level: "success"))
                }
                return response
            }
        }
        group.post("/tokens/{token_id}/revoke", routeInfo("Revoke an API token", .tokensManage, page: true)) {
            request, context in
            let token = try await services.tokens.revoke(
                id: try MemberRoutes.id(request, "token_id", "The API token"), context.identity,
                request: context.requestInfo(request))
            return try await settings.pages.afterChange(
                request, location: "/settings/tokens", message: "Token “\(token.name)” was revoked."
            ) { try await page(request, context) }
        }
    }

    private func page(
        _ request: HTTPRequest, _ context: PatchbayContext, created: NewAPIToken? = nil,
        createError: AppError? = nil
    ) async throws -> HTTPResponse {
        let tokens = try await services.tokens.list(context.identity)
        let maximum: Role =
            context.identity?.isSuperuser == true ? .owner : context.identity?.tenant?.role ?? .viewer
        let form = request.formFields
        var model: [(String, TemplateValue)] = [
            ("tokens", .list(tokens.map(row(for:)))),
            (
                "create_form",
                .object(
                    TemplateObject(
                        ViewFormatting.errors(createError) + [
                            ("name", .string(createError == nil ? "" : form["name"] ?? "")),
                            (
                                "expires_in_days",
                                .string(createError == nil ? "90" : form["expires_in_days"] ?? "")
                            ),
                            ("agent_id", .string(createError == nil ? "" : form["agent_id"] ?? "")),
                            (
                                "role_options",
                                ViewFormatting.roleOptions(selected: .developer, maximum: maximum)
                            ),
                        ]))
            ),
        ]
        if let created {
            model.append(
                ("new_token", ["name": .string(created.token.name), "secret": .string(created.secret)]))
        } else {
            model.append(("new_token", false))
        }
        return try await settings.render(
            "pages/settings-tokens", title: "API tokens", tab: .tokens, model: model, request: request,
            context: context, status: created == nil ? .ok : .created)
    }

    private func row(for token: APIToken) -> TemplateValue {
        let status = token.status()
        return [
            "id": .string(token.id.lowercased), "name": .string(token.name),
            "prefix": .string(token.displayPrefix),
            "role_label": .string(token.role.label), "status": .string(status),
            "is_active": .bool(status == "active"),
            "created": .string(ViewFormatting.display(token.createdAt)),
            "created_by": .string(token.createdByEmail),
            "expires": .string(token.expiresAt.map(ViewFormatting.display) ?? "Never"),
            "last_used": .string(token.lastUsedAt.map(ViewFormatting.display) ?? "Never"),
            "revoke_url": .string("/settings/tokens/\(token.id.lowercased)/revoke"),
            "agent_id": .string(token.agentID ?? ""),
        ]
    }
}
