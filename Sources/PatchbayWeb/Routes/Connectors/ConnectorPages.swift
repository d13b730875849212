import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// What the connector pages and forms share: the service, the templates, and the ways a change is
/// answered (a fragment and a toast for the HTMX client, a redirect and a flash without JavaScript).
struct ConnectorPages: Sendable {
    let connectors: ConnectorService
    let views: Views
    let web: WebSettings

    static let installedPath = "/features/connectors/installed"

    func permissions(_ context: PatchbayContext) -> InstalledViewModels.Permissions {
        InstalledViewModels.Permissions(
            canEdit: context.identity?.can(.connectorUpdate) == true,
            canDelete: context.identity?.can(.connectorDelete) == true,
            csrfToken: context.identity?.csrfToken ?? "",
            canTest: context.identity?.can(.connectorTest) == true)
    }

    /// A page of the connectors section with the layout's keys.
    func page(
        _ template: String, title: String, _ model: TemplateObject, request: HTTPRequest,
        context: PatchbayContext,
        status: HTTPStatus = .ok, fragments: [String: String] = [:]
    ) throws -> HTTPResponse {
        let value = PageChrome(title: title, nav: "connectors").apply(to: model, context: context)
        return try views.page(template, value, request: request, status: status, fragments: fragments)
    }

    /// One card on its own (after activate, deactivate or an edit), with the CSRF token its forms need.
    func card(_ connector: Connector, context: PatchbayContext) throws -> HTTPResponse {
        try views.fragment(
            "partials/installed-card", InstalledViewModels.card(connector, permissions(context)))
    }

    /// The Installed tab's status chips with fresh counts, marked to be swapped out of band: sent
    /// along with a card that changed status or went away.
    func statusChips(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> [UInt8] {
        let current = request.headers["HX-Current-URL"] ?? ""
        let query = current.firstIndex(of: "?").map {
            HTTPQuery(encoded: Array(current.utf8[current.utf8.index(after: $0)...]))
        }
        let filter = InstalledRoutes.filter(query ?? HTTPQuery())
        let listing = try await connectors.listing(filter, context.identity)
        return try views.render(
            "partials/installed-statuses",
            [
                "statuses": InstalledViewModels.statuses(facets: listing.facets, filter: filter),
                "statuses_oob": true,
            ])
    }

    /// Whether the HTMX request comes from the Catalog/Installed page, which has the tab panel and
    /// the cards to update in place.
    static func isFromConnectorsPage(_ request: HTTPRequest) -> Bool {
        guard let current = request.headers["HX-Current-URL"] else { return false }
        let path = Self.path(of: current)
        return path == installedPath || path == "/features/connectors/catalog"
    }

    /// `https://host/a/b?c` → `/a/b`.
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        return String(rest.prefix { $0 != "?" && $0 != "#" })
    }

    /// A local path under the connectors section to come back to, or the Installed tab.
    static func returnPath(_ candidate: String?) -> String {
        guard let candidate, let safe = LoginPath.safeNext(candidate), safe.hasPrefix("/features/connectors/")
        else { return installedPath }
        return safe
    }

    /// `HX-Trigger` with a success toast, plus other events (`closeModal`, `connectorsChanged`).
    static func trigger(_ message: String, events: [String] = []) -> String {
        var object: JSONObject = ["showToast": ["message": .string(message), "level": "success"]]
        for event in events { object[event] = true }
        return Flash.asciiOnly(JSON.object(object).serializedString())
    }

    /// Without JavaScript: back to `location` with the message as a flash toast. From an HTMX page
    /// that has nothing to update in place: the client follows `HX-Redirect`, and the toast waits
    /// for the page it lands on.
    func redirect(_ request: HTTPRequest, to location: String, message: String, level: String = "success")
        -> HTTPResponse
    {
        var response: HTTPResponse
        if request.isHTMX {
            response = HTTPResponse(status: .ok)
            response.headers.add(name: "HX-Redirect", value: location)
        } else {
            response = .redirect(to: location)
        }
        Flash(message: message, level: level).store(on: &response, web: web)
        return response
    }
}

extension HTTPRequest {
    /// The `{id}` path parameter; anything but a UUID cannot name a connector.
    func connectorID() throws -> UUID {
        guard let id = parameters["id"].flatMap(UUID.init(uuidString:)) else {
            throw AppError.notFound("The connector")
        }
        return id
    }
}
