import Foundation
import HTTPServer
import Patchbay
import Templating

/// Activate, deactivate and delete, from a card (the HTMX client swaps or removes the card) or from
/// a plain form (303 back with a flash toast). Deleting without JavaScript asks on a page first.
struct ConnectorActionRoutes {
    let pages: ConnectorPages
    var connectors: ConnectorService { pages.connectors }

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.post(
            "/features/connectors/{id}/activate",
            routeInfo("Activate a connector", .connectorActivate, page: true)
        ) {
            request, context in try await setStatus(.active, request, context)
        }
        signedIn.post(
            "/features/connectors/{id}/deactivate",
            routeInfo("Deactivate a connector", .connectorActivate, page: true)
        ) { request, context in try await setStatus(.inactive, request, context) }
        signedIn.post(
            "/features/connectors/{id}/delete", routeInfo("Delete a connector", .connectorDelete, page: true)
        ) {
            request, context in try await delete(request, context)
        }
    }

    func setStatus(_ status: ConnectorStatus, _ request: HTTPRequest, _ context: PatchbayContext) async throws
        -> HTTPResponse
    {
        let connector = try await connectors.setStatus(
            id: try request.connectorID(), to: status,
            expectedVersion: request.formFields.get("row_version", as: Int.self),
            context.identity, request: context.requestInfo(request))
        let message =
            status == .active ? "\(connector.name) is active." : "\(connector.name) was deactivated."
        guard request.isHTMX, ConnectorPages.isFromConnectorsPage(request) else {
            return pages.redirect(
                request, to: ConnectorPages.returnPath(request.formFields["return_to"]), message: message)
        }
        var response = try pages.card(connector, context: context)
        response.body += try await pages.statusChips(request, context)
        response.headers.add(name: "HX-Trigger", value: ConnectorPages.trigger(message))
        return response
    }

    func delete(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        guard request.formFields["confirm"] == "yes" else {
            // A plain form post (no JavaScript, so no confirm dialog): ask on a page.
            let connector = try await connectors.get(id: id, context.identity)
            let model = InstalledViewModels.card(connector, pages.permissions(context))
            return try pages.page(
                "pages/connector-delete", title: "Delete \(connector.name)", ["connector": model],
                request: request,
                context: context)
        }
        let connector = try await connectors.delete(
            id: id, context.identity, request: context.requestInfo(request))
        let message = "\(connector.name) was deleted."
        guard request.isHTMX, ConnectorPages.isFromConnectorsPage(request) else {
            return pages.redirect(request, to: ConnectorPages.installedPath, message: message)
        }
        // The card removes itself; an emptied list reloads to show its empty state.
        let remaining = try await connectors.list(ConnectorFilter(limit: 1), context.identity).total
        var response = HTTPResponse(status: .ok, body: try await pages.statusChips(request, context))
        response.headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        response.headers.add(
            name: "HX-Trigger",
            value: ConnectorPages.trigger(message, events: remaining == 0 ? ["connectorsChanged"] : []))
        return response
    }
}
