import HTTPServer
import JSON
import Patchbay
import Templating

/// Renders the signed-in pages: the page's own view model plus the layout's keys (CSRF token, user
/// menu, tenant switcher, main-nav state, flash toasts), as docs/frontend.md describes them.
struct PageRenderer: Sendable {
    let views: Views?
    let tenants: TenantService
    let web: WebSettings

    enum Section: String {
        case connectors
        case settings
    }

    /// A full page, or its `content` block for the HTMX client.
    func render(
        _ template: String, title: String, model: [(String, TemplateValue)], section: Section,
        request: HTTPRequest, context: PatchbayContext, status: HTTPStatus = .ok
    ) async throws -> HTTPResponse {
        guard let views else { throw AppError(.unavailable, "Pages are unavailable: the Templates folder is missing.") }
        var fields = model
        fields.append(("page_title", .string(title)))
        fields.append(contentsOf: try await layout(context.identity, section: section))
        let flash = Flash.read(request, web: web)
        fields.append(("flash", .list(flash.map(\.templateValue))))
        var response = try views.page(template, .object(TemplateObject(fields)), request: request, status: status)
        if !flash.isEmpty { web.clearCookie(web.flashCookie, on: &response) }
        return response
    }

    /// A page of the login layout (no user menus).
    func renderPublic(
        _ template: String, model: [(String, TemplateValue)], request: HTTPRequest, status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        guard let views else { throw AppError(.unavailable, "Pages are unavailable: the Templates folder is missing.") }
        var fields = model
        let flash = Flash.read(request, web: web)
        fields.append(("flash", .list(flash.map(\.templateValue))))
        var response = try views.page(template, .object(TemplateObject(fields)), request: request, status: status)
        if !flash.isEmpty { web.clearCookie(web.flashCookie, on: &response) }
        return response
    }

    /// After a successful form post: the HTMX client gets `render()`'s fragment and a toast; a plain
    /// browser is redirected to `location` (303) and sees the toast there.
    func afterChange(
        _ request: HTTPRequest, location: String, message: String,
        render: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        if request.isHTMX {
            var response = try await render()
            response.headers.add(name: "HX-Trigger", value: Flash.toastTrigger(message, level: "success"))
            return response
        }
        var response = HTTPResponse.redirect(to: location)
        Flash(message: message, level: "success").store(on: &response, web: web)
        return response
    }

    private func layout(_ identity: Identity?, section: Section) async throws -> [(String, TemplateValue)] {
        var fields: [(String, TemplateValue)] = [
            ("csrf_token", .string(identity?.csrfToken ?? "")),
            ("nav", ["connectors": .bool(section == .connectors), "settings": .bool(section == .settings)]),
        ]
        guard let identity else { return fields }
        fields.append(
            (
                "user",
                [
                    "name": .string(identity.displayName), "email": .string(identity.email),
                    "initials": .string(Self.initials(identity.displayName)),
                ]
            ))
        var memberships: [TenantMembership] = []
        if let userID = identity.userID { memberships = try await tenants.memberships(of: userID) }
        if let current = identity.tenant {
            fields.append(("current_tenant", ["id": .string(current.tenantID.lowercased), "name": .string(current.name)]))
        } else if !memberships.isEmpty {
            // The switcher renders only with a current tenant; offer it anyway so the user can pick one.
            fields.append(("current_tenant", ["id": "", "name": ""]))
        }
        fields.append(
            (
                "tenants",
                .list(
                    memberships.map { membership -> TemplateValue in
                        [
                            "id": .string(membership.tenantID.lowercased), "name": .string(membership.name),
                            "is_current": .bool(membership.tenantID == identity.tenant?.tenantID),
                        ]
                    })
            ))
        return fields
    }

    /// One or two capital letters from a name or email: "Ada Lovelace" → "AL", "ops@x" → "O".
    static func initials(_ name: String) -> String {
        let words = name.split(whereSeparator: { $0 == " " || $0 == "@" || $0 == "." })
        let letters = words.prefix(2).compactMap(\.first).map { String($0).uppercased() }
        return letters.isEmpty ? "?" : (name.contains("@") ? letters[0] : letters.joined())
    }
}
