import Foundation
import HTTPServer
import Patchbay
import Templating

/// Dashboard pages of the catalog: the Catalog tab (with search and category chips, also as plain
/// GET query strings) and one detail page per connector type.
struct CatalogPages {
    let catalog: CatalogService
    let views: Views
    /// Catalog panels by catalog generation, tenant, filter and permission, with their HTML: building
    /// the card view models and rendering them is most of a page's cost, and both only change with
    /// the catalog. A full page of cards is about 70 KB of HTML: 128 panels bound the cache near 20 MB
    /// (most keys are searches, far smaller).
    let panels = BoundedCache<RenderedPanel>(capacity: 128)

    struct RenderedPanel: Sendable {
        let value: TemplateValue
        let html: String
    }

    func register(on router: Router<PatchbayContext>, signedIn: RouteGroup<PatchbayContext>) {
        router.get("/", routeInfo("Home", page: true)) { _, _ in
            .redirect(to: "/features/connectors/catalog")
        }
        signedIn.get("/features/connectors/catalog", routeInfo("Catalog tab", .catalogRead, page: true)) {
            request, context in try await catalogTab(request, context)
        }
        signedIn.get(
            "/features/connectors/catalog/{key}", routeInfo("Catalog entry", .catalogRead, page: true)
        ) {
            request, context in try await detail(request, context)
        }
    }

    func catalogTab(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let tenantID = context.catalogTenantID
        let filter = CatalogFilter(query: request.query["q"], category: request.query["category"])
        let offset = max(0, request.query.get("offset", as: Int.self) ?? 0)
        let key =
            "\(catalog.cache.generation)|\(tenantID?.uuidString ?? "-")|\(context.canInstallConnectors)|"
            + "\(filter.query ?? "")|\(filter.category ?? "")|\(offset)"
        let panel: RenderedPanel
        if let cached = panels.lookup(key) {
            panel = cached
        } else {
            let page = try await catalog.list(
                tenantID: tenantID, filter: filter, limit: CatalogViewModels.pageSize, offset: offset)
            let value = CatalogViewModels.panel(
                page: page, filter: filter, categories: try await catalog.categories(tenantID: tenantID),
                canInstall: context.canInstallConnectors)
            let html = try views.render("partials/catalog-panel", ["catalog": value])
            panel = RenderedPanel(value: value, html: String(decoding: html, as: UTF8.self))
            panels.store(key, panel)
        }
        if request.wantsFragment, request.headers["HX-Target"] == "tab-panel" {
            return Views.html(Array(panel.html.utf8), status: .ok)
        }
        let model = PageChrome(title: "Catalog", nav: "connectors").apply(
            to: ["catalog": panel.value, "catalog_html": .string(panel.html)], context: context)
        return try views.page(
            "pages/connectors", model, request: request,
            fragments: [
                "catalog-grid": "partials/catalog-grid",
                "catalog-more": "partials/catalog-more",
            ])
    }

    func detail(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let key = request.parameters["key"] ?? ""
        let entry = try await catalog.entry(tenantID: context.catalogTenantID, key: key)
        let versions = try await catalog.versions(tenantID: context.catalogTenantID, key: key)
        guard case .object(var model) = CatalogViewModels.detail(entry, versions: versions) else {
            throw AppError(.internal, "The catalog entry could not be shown.")
        }
        model["can_install"] = .bool(context.canInstallConnectors && entry.manifest.status != "deprecated")
        let page = PageChrome(title: entry.manifest.name, nav: "connectors").apply(
            to: ["entry": .object(model)], context: context)
        return try views.page("pages/catalog-detail", page, request: request)
    }
}

extension PatchbayContext {
    /// The tenant whose private catalog entries this request may see.
    var catalogTenantID: UUID? { identity?.tenant?.tenantID }

    /// Whether the card's "Add" button leads anywhere for this user (the service still checks).
    var canInstallConnectors: Bool { identity?.can(.connectorInstall) == true }
}
