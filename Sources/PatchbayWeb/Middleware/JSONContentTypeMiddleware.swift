import HTTPServer

/// Refuses API request bodies sent as anything but JSON with 415, so every JSON endpoint treats
/// `Content-Type` alike (a form post or `text/plain` must not be read as JSON by one route and
/// refused by another). A body without a `Content-Type` is read as JSON: scripts often leave it
/// out. `application/json` may carry parameters (`; charset=utf-8`); `application/*+json` counts.
struct JSONContentTypeMiddleware: Middleware {
    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard !request.body.isEmpty, let type = request.headers["Content-Type"], !Self.isJSON(type) else {
            return try await next(request, context)
        }
        let body = ErrorMiddleware.jsonBody(
            code: "unsupported_media_type", message: "Send the body as application/json.",
            requestID: context.requestID)
        var response = HTTPResponse.json(body, status: .unsupportedMediaType)
        response.headers.add(name: "Accept", value: "application/json")
        return response
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = HeaderText.trimmingSpaces(contentType.prefix { $0 != ";" }).utf8.map(
            HeaderText.lowercased)
        return mediaType.elementsEqual("application/json".utf8)
            || (mediaType.starts(with: "application/".utf8)
                && mediaType.reversed().starts(with: "nosj+".utf8))
    }
}
