import HTTPServer
import Patchbay
import Templating

/// `/settings/profile`: the signed-in user's name and password.
struct ProfileRoutes {
    let settings: SettingsPages
    var services: IdentityServices { settings.services }

    func register(on group: RouteGroup<PatchbayContext>) {
        group.get("/profile", routeInfo("Your profile", .profileManage, page: true)) { request, context in
            try await page(request, context)
        }
        group.post("/profile", routeInfo("Change your name", .profileManage, page: true)) {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, nameError: $0) }
            ) {
                try await services.profile.updateName(
                    request.formFields["name"] ?? "", context.identity, request: context.requestInfo(request))
                var context = context
                context.identity?.name = request.formFields["name"] ?? ""
                return try await settings.pages.afterChange(
                    request, location: "/settings/profile", message: "Your name was saved."
                ) { try await page(request, context) }
            }
        }
        group.post("/profile/password", routeInfo("Change your password", .profileManage, page: true)) {
            request, context in
            try await settings.formAction(
                request, rerender: { try await page(request, context, passwordError: $0) }
            ) {
                let form = request.formFields
                let new = form["new_password"] ?? ""
                guard new == form["confirm_password"] else {
                    throw AppError.validation(["confirm_password": ["does not match the new password"]])
                }
                let ended = try await services.profile.changePassword(
                    current: form["current_password"] ?? "", new: new, context.identity,
                    request: context.requestInfo(request))
                let others = ended == 1 ? "1 other session was" : "\(ended) other sessions were"
                return try await settings.pages.afterChange(
                    request, location: "/settings/profile",
                    message: "Your password was changed; \(others) signed out."
                ) { try await page(request, context) }
            }
        }
    }

    private func page(
        _ request: HTTPRequest, _ context: PatchbayContext, nameError: AppError? = nil,
        passwordError: AppError? = nil
    ) async throws -> HTTPResponse {
        let user = try await services.profile.profile(context.identity)
        let name = nameError == nil ? user.name : request.formFields["name"] ?? user.name
        return try await settings.render(
            "pages/settings-profile", title: "Profile", tab: .profile,
            model: [
                ("profile", ["name": .string(name), "email": .string(user.email)]),
                ("name_form", .object(TemplateObject(ViewFormatting.errors(nameError)))),
                ("password_form", .object(TemplateObject(ViewFormatting.errors(passwordError)))),
                ("minimum_password_length", .string("10")),
            ], request: request, context: context)
    }
}
