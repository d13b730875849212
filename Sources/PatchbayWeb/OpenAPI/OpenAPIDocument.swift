import HTTPServer
import JSON
import Patchbay

/// The OpenAPI 3.1 document of `/api/v1`, built from the router's own table (methods, paths, summaries,
/// RBAC actions) merged with ``APIContract`` (parameters, bodies, responses), so a route cannot exist
/// without appearing here.
///
/// Errors follow from what the route table says: an RBAC action means 401 (no or bad credentials) and,
/// unless any signed-in caller may act, 403; path parameters mean 404; any input means 400; a body
/// means 413 and 415; the database behind every action means 503. The contract adds the rest.
struct OpenAPIDocument {
    /// Operations without a contract entry still appear, with this tag, so the gap is visible.
    static let undocumentedTag = "Undocumented"

    let routes: [RouteDescription]
    let contract: [String: APIOperation]

    init(routes: [RouteDescription], contract: [String: APIOperation] = APIContract.operations) {
        self.routes = routes.filter { Self.isAPI($0.pattern) && $0.method != .head }
        self.contract = contract
    }

    static func isAPI(_ pattern: String) -> Bool { pattern.hasPrefix("/api/v1/") }

    /// `"METHOD /path"`, the key of a route in ``APIContract``.
    static func key(_ route: RouteDescription) -> String { "\(route.method.rawValue) \(route.pattern)" }

    /// A stable `operationId` from a contract key: `POST /api/v1/connectors/{id}/status` →
    /// `post_connectors_id_status`.
    static func operationID(_ key: String) -> String {
        let parts = key.split(separator: " ", maxSplits: 1)
        let path = (parts.last ?? "").split(separator: "/").dropFirst(2)
        let words =
            [parts[0].lowercased()]
            + path.map { piece in
                String(piece.map { $0.isLetter || $0.isNumber ? $0 : "_" }).trimmingCharacters(in: ["_"])
            }
        return words.joined(separator: "_")
    }

    func json() -> JSON {
        var paths = JSONObject()
        for route in routes {
            var item = paths[route.pattern]?.object ?? JSONObject()
            item[route.method.rawValue.lowercased()] = operation(route)
            paths[route.pattern] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Patchbay API", "version": "1",
                "description": .string(Self.introduction),
            ],
            "servers": [["url": "/"]],
            "tags": .array(
                APIContract.tags.map { ["name": .string($0.name), "description": .string($0.description)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(
                    JSONObject(APIContract.schemas.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
                "responses": Self.errorResponses,
                "securitySchemes": [
                    "bearerAuth": [
                        "type": "http", "scheme": "bearer",
                        "description": "An API token, `pb_...`, created under Settings → API tokens",
                    ],
                    "sessionCookie": [
                        "type": "apiKey", "in": "cookie", "name": "pb_session",
                        "description": "A browser session; unsafe methods also need `X-CSRF-Token`",
                    ],
                ],
            ],
        ]
    }

    private static let introduction = """
        Patchbay's JSON API. Send `Authorization: Bearer pb_...` (or a browser session plus its \
        `X-CSRF-Token` on unsafe methods). Request bodies are JSON objects of at most 1 MiB, nested at \
        most 128 levels (32 in connector bodies and manifests); unknown members are ignored, except in \
        catalog manifests, which refuse them. Every error has one shape, `Error`.
        """
}
