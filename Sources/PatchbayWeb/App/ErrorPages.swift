import HTTPServer
import Patchbay
import Templating

/// HTML error pages (404, 403, 500, ...) that always carry the request id, so a person can quote it.
struct ErrorPages: Sendable {
    let views: Views

    func render(_ error: AppError, status: HTTPStatus, requestID: String, request: HTTPRequest)
        -> HTTPResponse
    {
        let model: TemplateValue = [
            "status": .int(status.code),
            "title": .string(Self.title(for: status)),
            "message": .string(error.message),
            "request_id": .string(requestID),
            "home_url": "/features/connectors/catalog",
            "home_label": "Back to connectors",
            "fields": .list(
                error.fields.sorted { $0.key < $1.key }.map {
                    ["name": .string($0.key), "messages": .list($0.value.map(TemplateValue.string))]
                }),
        ]
        if views.has("pages/error"),
            let response = try? views.page("pages/error", model, request: request, status: status)
        {
            return response
        }
        return Views.html(Array(Self.plain(model, status: status).utf8), status: status)
    }

    static func title(for status: HTTPStatus) -> String {
        switch status.code {
        case 400: "Bad request"
        case 401: "Please sign in"
        case 403: "Not allowed"
        case 404: "Page not found"
        case 405: "Method not allowed"
        case 409: "Conflict"
        case 422: "Check the form"
        case 429: "Too many requests"
        case 503: "Temporarily unavailable"
        default: status.code >= 500 ? "Something went wrong" : status.reasonPhrase
        }
    }

    /// The fallback when no template is available: still escaped, still with the request id.
    private static func plain(_ model: TemplateValue, status: HTTPStatus) -> String {
        (try? fallback?.renderString("error", model)) ?? "\(status.code) \(status.reasonPhrase)"
    }

    private static let fallback = try? TemplateLibrary(templates: [
        "error": """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{title}} · Patchbay</title></head>
        <body><main><h1>{{status}} · {{title}}</h1><p>{{message}}</p><p>Request id: <code>{{request_id}}</code></p>
        <p><a href="/">Back to Patchbay</a></p></main></body></html>
        """
    ])
}
