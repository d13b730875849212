import JSON

/// The error responses operations refer to (`components.responses`), each with the one `Error` body.
extension OpenAPIDocument {
    static let errorResponseNames: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
        413: "ContentTooLarge", 415: "UnsupportedMediaType", 422: "ValidationFailed", 501: "NotImplemented",
        503: "Unavailable",
    ]

    private static let errorDescriptions: [Int: String] = [
        400:
            "`bad_request`: a body that is not JSON or not an object, invalid UTF-8, a number beyond a double, "
            + "nesting deeper than the limit, text holding U+0000, or a parameter out of range",
        401: "`unauthorized`: no credentials, or an API token that is wrong, expired or revoked",
        403: "`forbidden`: the caller's role is too low (the message names the role needed), or a session's "
            + "CSRF token or origin is wrong",
        404: "`not_found`: nothing with this id or key in the caller's workspace",
        409: "`conflict`: a name already used, a stale `row_version`, or a state that forbids the change",
        413: "`content_too_large`: the body is over the server's limit (1 MiB by default)",
        415: "`unsupported_media_type`: send the body as `application/json`",
        422: "`validation_failed`: values of the wrong type or out of range; `fields` names each",
        501: "`not_implemented`: this server cannot do that for this kind of connector yet",
        503: "`unavailable`: the database cannot be reached right now; retry after `Retry-After` seconds "
            + "(a query's own database server: retry later)",
    ]

    static var errorResponses: JSON {
        .object(
            JSONObject(
                errorResponseNames.sorted { $0.key < $1.key }.map { status, name in
                    var response: JSONObject = [
                        "description": .string(errorDescriptions[status] ?? "An error"),
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
                    ]
                    if status == 503 {
                        response["headers"] = [
                            "Retry-After": ["description": "Seconds to wait", "schema": ["type": "string"]]
                        ]
                    }
                    return (name, .object(response))
                }))
    }
}
