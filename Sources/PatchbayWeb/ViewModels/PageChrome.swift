import Patchbay
import Templating

/// The layout's variables every page shares (see docs/frontend.md): CSRF token, title, active nav
/// link, flash toasts, and — once signed in — the user, the current tenant and the switcher's list.
struct PageChrome {
    var title: String
    var nav: String
    var flash: [TemplateValue] = []

    /// Merges the chrome into a page's view model.
    func apply(to page: TemplateObject, context: PatchbayContext) -> TemplateValue {
        var object = page
        object["page_title"] = .string(title)
        object["nav"] = ["connectors": .bool(nav == "connectors"), "settings": .bool(nav == "settings")]
        object["flash"] = .list(flash + context.flash.map(\.templateValue))
        let identity = context.identity
        object["csrf_token"] = .string(identity?.csrfToken ?? "")
        object["tenants"] = .list(
            (identity?.memberships ?? []).map { membership -> TemplateValue in
                [
                    "id": .string(membership.tenantID.lowercased), "name": .string(membership.name),
                    "is_current": .bool(membership.tenantID == identity?.tenant?.tenantID),
                ]
            })
        guard let identity else { return .object(object) }
        object["user"] = [
            "name": .string(identity.displayName), "email": .string(identity.email),
            "initials": .string(Self.initials(identity.displayName)),
        ]
        if let current = identity.tenant {
            object["current_tenant"] = [
                "id": .string(current.tenantID.lowercased), "name": .string(current.name),
            ]
        } else if !identity.memberships.isEmpty {
            // The switcher renders only with a current tenant; offer it anyway so the user can pick one.
            object["current_tenant"] = ["id": "", "name": ""]
        }
        return .object(object)
    }

    /// One or two capital letters from a name or email: "Ada Lovelace" → "AL", "ops@x" → "O".
    static func initials(_ name: String) -> String {
        let words = name.split(whereSeparator: { $0 == " " || $0 == "@" || $0 == "." })
        let letters = words.prefix(2).compactMap(\.first).map { String($0).uppercased() }
        return letters.isEmpty ? "?" : (name.contains("@") ? letters[0] : letters.joined())
    }
}
