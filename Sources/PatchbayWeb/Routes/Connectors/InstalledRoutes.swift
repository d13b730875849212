import Foundation
import HTTPServer
import Patchbay
import Templating

/// The Installed tab (cards, filters, search, paging) and the detail page of one connector.
struct InstalledRoutes {
    let pages: ConnectorPages
    var connectors: ConnectorService { pages.connectors }

    /// Cards per page; "Show more" appends the next page.
    static let pageSize = 48

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.get("/features/connectors/installed", routeInfo("Installed tab", .installedRead, page: true))
        {
            request, context in try await installedTab(request, context)
        }
        signedIn.get(
            "/features/connectors/installed/{id}",
            routeInfo("Installed connector", .installedRead, page: true)
        ) { request, context in try await detail(request, context) }
    }

    static func filter(_ query: HTTPQuery) -> ConnectorFilter {
        ConnectorFilter(
            status: query["status"].flatMap(ConnectorStatus.init(parsing:)), category: query["category"],
            tag: query["tag"], query: query["q"], limit: pageSize,
            offset: query.get("offset", as: Int.self) ?? 0)
    }

    /// The Installed panel's view model for `filter`.
    func panel(_ filter: ConnectorFilter, context: PatchbayContext) async throws -> TemplateValue {
        let (page, facets) = try await connectors.listWithFacets(filter, context.identity)
        return InstalledViewModels.panel(
            page: page, facets: facets, filter: filter, permissions: pages.permissions(context))
    }

    func installedTab(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let panel = try await panel(Self.filter(request.query), context: context)
        return try pages.page(
            "pages/connectors", title: "Installed", ["installed": panel], request: request, context: context,
            fragments: [
                "tab-panel": "partials/installed-panel", "installed-grid": "partials/installed-grid",
                "installed-more": "partials/installed-more",
            ])
    }

    /// The panel as the answer to a form post from the Catalog or Installed page.
    func panelFragment(_ context: PatchbayContext) async throws -> HTTPResponse {
        let panel = try await panel(ConnectorFilter(limit: Self.pageSize), context: context)
        let value = PageChrome(title: "Installed", nav: "connectors").apply(
            to: ["installed": panel], context: context)
        return try pages.views.fragment("partials/installed-panel", value)
    }

    func detail(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        let connector = try await connectors.get(id: id, context.identity)
        let type = try await connectors.type(of: connector, context.identity)
        let history = try await connectors.history(id: id, context.identity)
        let model = ConnectorDetailViewModel.model(
            connector, type: type, history: history, permissions: pages.permissions(context))
        return try pages.page(
            "pages/connector-detail", title: connector.name, ["connector": model], request: request,
            context: context)
    }
}
