import HTTPServer
import Patchbay

/// `/invites/{token}`: the holder of an invite link sees which workspace it is for and joins it.
/// Signed-out visitors are sent to the login page first and come back.
struct InviteRoutes {
    let services: IdentityServices
    let pages: PageRenderer
    let web: WebSettings

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        let group = signedIn.group("/invites")
        group.get("/{token}", routeInfo("An invite link", .inviteAccept, page: true)) { request, context in
            let token = request.parameters["token"] ?? ""
            let preview = try await services.invites.preview(token: token, context.identity)
            return try await pages.render(
                "pages/invite", title: "Join \(preview.tenantName)",
                model: [
                    (
                        "invite",
                        [
                            "tenant_name": .string(preview.tenantName),
                            "role_label": .string(preview.role.label),
                            "expires": .string(ViewFormatting.display(preview.expiresAt)),
                            "accept_url": .string("/invites/" + token),
                        ]
                    )
                ], section: .settings, request: request, context: context)
        }
        group.post("/{token}", routeInfo("Accept an invite link", .inviteAccept, page: true)) {
            request, context in
            let membership = try await services.invites.accept(
                token: request.parameters["token"] ?? "", context.identity,
                request: context.requestInfo(request))
            var response = HTTPResponse.redirect(to: AuthRoutes.home)
            if request.isHTMX { response.headers.add(name: "HX-Redirect", value: AuthRoutes.home) }
            Flash(
                message: "Welcome to \(membership.name)! You joined as \(membership.role.label).",
                level: "success"
            )
            .store(on: &response, web: web)
            return response
        }
    }
}
