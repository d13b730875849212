import HTTPServer
import JSON
import Patchbay
import Templating

/// Renders the identity pages: the page's own view model plus the layout's keys (`PageChrome`).
struct PageRenderer: Sendable {
    let views: Views
    let web: WebSettings

    enum Section: String {
        case connectors
        case settings
    }

    /// A full page of the signed-in area, or its `content` block for the HTMX client.
    func render(
        _ template: String, title: String, model: [(String, TemplateValue)], section: Section,
        request: HTTPRequest, context: PatchbayContext, status: HTTPStatus = .ok
    ) async throws -> HTTPResponse {
        let value = PageChrome(title: title, nav: section.rawValue).apply(
            to: TemplateObject(model), context: context)
        return try views.page(template, value, request: request, status: status)
    }

    /// A page of the login layout (no user menus; the model brings its own CSRF token).
    func renderPublic(
        _ template: String, model: [(String, TemplateValue)], context: PatchbayContext, request: HTTPRequest,
        status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        var fields = model
        fields.append(("flash", .list(context.flash.map(\.templateValue))))
        return try views.page(template, .object(TemplateObject(fields)), request: request, status: status)
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
}
