import Foundation
import HTTPServer
import Patchbay
import Templating

/// `/settings/members`: everyone sees the members; owners add them, change roles, remove them and
/// manage invite links.
struct MemberRoutes {
    let settings: SettingsPages
    var services: IdentityServices { settings.services }

    func register(on group: RouteGroup<PatchbayContext>) {
        group.get("/members", routeInfo("Members of the workspace", .membersRead, page: true)) {
            request, context in
            try await page(request, context)
        }
        group.post("/members", routeInfo("Add an existing account as a member", .membersManage, page: true)) {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, addError: $0) }
            ) {
                let form = request.formFields
                let member = try await services.members.add(
                    email: form["email"] ?? "", role: try Self.role(form["role"]), context.identity,
                    request: context.requestInfo(request))
                return try await done(
                    request, context, "\(member.displayName) was added as \(member.role.label).")
            }
        }
        group.post("/members/{user_id}/role", routeInfo("Change a member's role", .membersManage, page: true))
        {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, listError: $0) }
            ) {
                let member = try await services.members.changeRole(
                    userID: try Self.id(request, "user_id", "The member"),
                    to: try Self.role(request.formFields["role"]),
                    context.identity, request: context.requestInfo(request))
                return try await done(request, context, "\(member.displayName) is now \(member.role.label).")
            }
        }
        group.post("/members/{user_id}/remove", routeInfo("Remove a member", .membersManage, page: true)) {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, listError: $0) }
            ) {
                try await services.members.remove(
                    userID: try Self.id(request, "user_id", "The member"), context.identity,
                    request: context.requestInfo(request))
                return try await done(request, context, "The member was removed.")
            }
        }
        group.post("/invites", routeInfo("Create an invite link", .membersManage, page: true)) {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, inviteError: $0) }
            ) {
                let form = request.formFields
                let invite = try await services.invites.create(
                    role: try Self.role(form["role"]), expiresInDays: try Self.days(form["expires_in_days"]),
                    context.identity, request: context.requestInfo(request))
                // Shown once, so it is rendered here rather than after a redirect.
                var response = try await page(request, context, newInvite: invite)
                if request.isHTMX {
                    response.headers.add(
                        name: "HX-Trigger",
                        value: Flash.toastTrigger("Invite link created.", level: "success"))
                }
                return response
            }
        }
        group.post(
            "/invites/{invite_id}/revoke", routeInfo("Revoke an invite link", .membersManage, page: true)
        ) {
            request, context in
            try await services.invites.revoke(
                id: try Self.id(request, "invite_id", "The invite"), context.identity,
                request: context.requestInfo(request))
            return try await done(request, context, "The invite link was revoked.")
        }
    }

    private func done(_ request: HTTPRequest, _ context: PatchbayContext, _ message: String) async throws
        -> HTTPResponse
    {
        try await settings.pages.afterChange(request, location: "/settings/members", message: message) {
            try await page(request, context)
        }
    }

    func page(
        _ request: HTTPRequest, _ context: PatchbayContext, newInvite: NewInvite? = nil,
        addError: AppError? = nil,
        listError: AppError? = nil, inviteError: AppError? = nil
    ) async throws -> HTTPResponse {
        let identity = context.identity
        let members = try await services.members.list(identity)
        let canManage = identity?.can(.membersManage) == true
        let invites = canManage ? try await services.invites.listPending(identity) : []
        let base = ViewFormatting.baseURL(request, web: settings.web)
        let form = request.formFields
        var model: [(String, TemplateValue)] = [
            ("can_manage", .bool(canManage)),
            ("members", .list(members.map { row(for: $0, identity: identity, canManage: canManage) })),
            ("list_error", .string(listError?.message ?? "")),
            (
                "add_form",
                .object(
                    TemplateObject(
                        ViewFormatting.errors(addError) + [
                            ("email", .string(addError == nil ? "" : form["email"] ?? "")),
                            ("role_options", ViewFormatting.roleOptions(selected: .developer)),
                        ]))
            ),
            (
                "invite_form",
                .object(
                    TemplateObject(
                        ViewFormatting.errors(inviteError) + [
                            ("role_options", ViewFormatting.roleOptions(selected: .developer)),
                            ("expires_in_days", "7"),
                        ]))
            ),
            ("invites", .list(invites.map(row(for:)))),
            ("has_invites", .bool(!invites.isEmpty)),
        ]
        if let newInvite {
            model.append(
                (
                    "new_invite",
                    [
                        "url": .string(base + "/invites/" + newInvite.token),
                        "role_label": .string(newInvite.invite.role.label),
                        "expires": .string(ViewFormatting.display(newInvite.invite.expiresAt)),
                    ]
                ))
        } else {
            model.append(("new_invite", false))
        }
        let status: HTTPStatus = newInvite == nil ? .ok : .created
        return try await settings.render(
            "pages/settings-members", title: "Members", tab: .members, model: model, request: request,
            context: context, status: status)
    }

    private func row(for member: Member, identity: Identity?, canManage: Bool) -> TemplateValue {
        let id = member.userID.lowercased
        return [
            "user_id": .string(id), "name": .string(member.name), "email": .string(member.email),
            "display_name": .string(member.displayName), "role": .string(member.role.rawValue),
            "role_label": .string(member.role.label), "is_self": .bool(member.userID == identity?.userID),
            "joined": .string(ViewFormatting.display(member.joinedAt)),
            "joined_iso": .string(ViewFormatting.iso(member.joinedAt)),
            "role_url": .string("/settings/members/\(id)/role"),
            "remove_url": .string("/settings/members/\(id)/remove"),
            "role_options": ViewFormatting.roleOptions(selected: member.role), "can_edit": .bool(canManage),
        ]
    }

    private func row(for invite: Invite) -> TemplateValue {
        [
            "id": .string(invite.id.lowercased), "role_label": .string(invite.role.label),
            "created_by": .string(invite.createdByEmail),
            "expires": .string(ViewFormatting.display(invite.expiresAt)),
            "expires_iso": .string(ViewFormatting.iso(invite.expiresAt)),
            "revoke_url": .string("/settings/invites/\(invite.id.lowercased)/revoke"),
        ]
    }

    static func role(_ text: String?) throws -> Role {
        guard let role = text.flatMap(Role.init(parsing:)) else {
            throw AppError.validation(["role": ["must be one of owner, admin, developer, viewer"]])
        }
        return role
    }

    static func days(_ text: String?) throws -> Int? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let days = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.validation(["expires_in_days": ["must be a whole number of days"]])
        }
        return days
    }

    /// A path parameter as a UUID; anything else cannot name an object, so it is "not found".
    static func id(_ request: HTTPRequest, _ name: String, _ what: String) throws -> UUID {
        guard let id = request.parameters[name].flatMap(UUID.init(uuidString:)) else {
            throw AppError.notFound(what)
        }
        return id
    }
}
