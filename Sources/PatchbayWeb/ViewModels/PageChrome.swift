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
        object["csrf_token"] = .string("")
        object["nav"] = ["connectors": .bool(nav == "connectors"), "settings": .bool(nav == "settings")]
        object["flash"] = .list(flash)
        object["tenants"] = []
        return .object(object)
    }
}
