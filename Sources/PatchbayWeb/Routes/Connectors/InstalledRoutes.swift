import Foundation
import HTTPServer
import Patchbay
import Templating

/// The Installed tab (cards, filters, search, paging) and the detail page of one connector.
struct InstalledRoutes {
    let pages: ConnectorPages
    var connectors: ConnectorService { pages.connectors }
    /// Panels by listing stamp and what the caller may do (their CSRF token is in the cards): building
    /// and rendering fifty cards is most of a page's cost, and a listing does not change.
    let panels = BoundedCache<RenderedPanel>()

    struct RenderedPanel: Sendable {
        let value: TemplateValue
        let html: String
    }

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

    /// The Installed panel for `filter`: its view model and its HTML.
    func panel(_ filter: ConnectorFilter, context: PatchbayContext) async throws -> RenderedPanel {
        let listing = try await connectors.listing(filter, context.identity)
        let permissions = pages.permissions(context)
        let key =
            "\(listing.stamp)|\(permissions.canEdit)|\(permissions.canDelete)|\(permissions.canTest)|"
            + permissions.csrfToken
        if let cached = panels.lookup(key) { return cached }
        let value = InstalledViewModels.panel(
            page: listing.page, facets: listing.facets, filter: filter, permissions: permissions)
        let html = try pages.views.render("partials/installed-panel", ["installed": value])
        let panel = RenderedPanel(value: value, html: String(decoding: html, as: UTF8.self))
        panels.store(key, panel)
        return panel
    }

    func installedTab(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let panel = try await panel(Self.filter(request.query), context: context)
        if request.wantsFragment, request.headers["HX-Target"] == "tab-panel" {
            return Views.html(Array(panel.html.utf8), status: .ok)
        }
        return try pages.page(
            "pages/connectors", title: "Installed",
            ["installed": panel.value, "installed_html": .string(panel.html)],
            request: request, context: context,
            fragments: [
                "installed-grid": "partials/installed-grid", "installed-more": "partials/installed-more",
            ])
    }

    /// The panel as the answer to a form post from the Catalog or Installed page.
    func panelFragment(_ context: PatchbayContext) async throws -> HTTPResponse {
        let panel = try await panel(ConnectorFilter(limit: Self.pageSize), context: context)
        return Views.html(Array(panel.html.utf8), status: .ok)
    }

    func detail(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let connector = try await connectors.get(id: try request.connectorID(), context.identity)
        let executions = try await pages.executionHistory(connector, request: request, context: context)
        if request.wantsFragment, request.headers["HX-Target"] == "executions" {
            return try pages.historyPanel(executions)
        }
        return try await detailPage(connector, executions: executions, request: request, context: context)
    }

    /// The detail page of connector `id`; `attachForm` carries what a refused attach form posted
    /// (pages without JavaScript show it again with its errors).
    func detailPage(
        _ id: UUID, _ request: HTTPRequest, _ context: PatchbayContext,
        attachForm: AttachmentViewModels.Form = .empty, status: HTTPStatus = .ok
    ) async throws -> HTTPResponse {
        let connector = try await connectors.get(id: id, context.identity)
        let executions = try await pages.executionHistory(connector, request: request, context: context)
        return try await detailPage(
            connector, executions: executions, attachForm: attachForm, status: status, request: request,
            context: context)
    }

    /// The detail page of `connector` with its History panel (`executions`) and its attached agents.
    func detailPage(
        _ connector: Connector, executions: TemplateValue, attachForm: AttachmentViewModels.Form = .empty,
        status: HTTPStatus = .ok, request: HTTPRequest, context: PatchbayContext
    ) async throws -> HTTPResponse {
        let type = try await connectors.type(of: connector, context.identity)
        let history = try await connectors.history(id: connector.id, context.identity)
        let model = ConnectorDetailViewModel.model(
            connector, type: type, history: history, permissions: pages.permissions(context))
        let attachments = try await AttachmentPageRoutes.panel(
            connector.id, attachments: AttachmentService(connectors: connectors), context: context,
            form: attachForm)
        return try pages.page(
            "pages/connector-detail", title: connector.name,
            ["connector": model, "attachments": attachments, "executions": executions],
            request: request, context: context, status: status, fragments: ConnectorPages.executionFragments)
    }
}
