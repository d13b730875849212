import HTTPServer
import Patchbay
import Templating

/// What the settings pages share: the sub-navigation, and the handling of form errors.
struct SettingsPages: Sendable {
    let services: IdentityServices
    let pages: PageRenderer
    let web: WebSettings

    enum Tab: String {
        case profile, members, tokens, audit
    }

    /// Renders a settings page with the settings tabs the caller may see.
    func render(
        _ template: String, title: String, tab: Tab, model: [(String, TemplateValue)], request: HTTPRequest,
        context: PatchbayContext, status: HTTPStatus = .ok
    ) async throws -> HTTPResponse {
        let identity = context.identity
        var fields = model
        fields.append(
            (
                "settings_nav",
                [
                    "profile": .bool(tab == .profile), "members": .bool(tab == .members),
                    "tokens": .bool(tab == .tokens), "audit": .bool(tab == .audit),
                    "show_members": .bool(identity?.can(.membersRead) == true),
                    "show_tokens": .bool(identity?.can(.tokensManage) == true),
                    "show_audit": .bool(identity?.can(.auditRead) == true),
                ]
            ))
        fields.append(("workspace_name", .string(identity?.tenant?.name ?? "")))
        return try await pages.render(
            template, title: title, model: fields, section: .settings, request: request, context: context,
            status: status)
    }

    /// Runs a form action. A validation error (422) or a conflict (409) re-renders the page with the
    /// message instead of an error page, for plain browsers and the HTMX client alike (which swaps
    /// it in because of `HX-Reswap`). Other errors (403, 404...) go to the error middleware.
    func formAction(
        _ request: HTTPRequest, rerender: (AppError) async throws -> HTTPResponse,
        _ body: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch let error as AppError where error.kind == .validation || error.kind == .conflict {
            var response = try await rerender(error)
            response.status = error.kind == .conflict ? .conflict : .unprocessableContent
            if request.isHTMX { response.headers.add(name: "HX-Reswap", value: "innerHTML") }
            return response
        }
    }
}
