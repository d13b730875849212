import HTTPServer
import JSON
import Patchbay

/// `GET /api/v1/openapi.json` and the page rendered from it, `GET /api/docs`. Both are public: the
/// contract holds no workspace data, and tools (and people) should read it before they have a token.
///
/// Registered after every other route: the document is built once, from the router's table as it
/// stands then.
struct APIDocsRoutes {
    static let documentPath = "/api/v1/openapi.json"

    let views: Views

    func register(on router: Router<PatchbayContext>) {
        let info = routeInfo("This API's OpenAPI 3.1 document")
        let own = RouteDescription(method: .get, pattern: Self.documentPath, metadata: info.metadata)
        let document = OpenAPIDocument(routes: router.routes + [own]).json()
        let body = document.serialized()
        let page = APIDocsViewModel.make(document)
        router.get(Self.documentPath, info) { _, _ in
            var response = HTTPResponse.json(body)
            response.headers.add(name: "Cache-Control", value: "public, max-age=300")
            return response
        }
        router.get("/api/docs", routeInfo("API reference", page: true)) { request, context in
            let model = PageChrome(title: "API reference", nav: "api").apply(
                to: ["docs": page], context: context)
            return try views.page("pages/api-docs", model, request: request)
        }
    }
}
