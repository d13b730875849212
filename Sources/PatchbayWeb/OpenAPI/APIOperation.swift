import JSON

/// What the OpenAPI document says about one `/api/v1` operation beyond what the route table knows.
///
/// The route table gives the method, the path, the summary and the RBAC action (hence 401/403 and the
/// required role). An operation adds its tag, query parameters and headers, its request body and its
/// success responses. Errors common to an operation's kind (400/413/415 with input, 404 with path
/// parameters, 503 when it reads the database) are added by ``OpenAPIDocument``; `errors` lists the
/// others it can answer (422, 409...).
struct APIOperation: Sendable {
    var tag: String
    var query: [APIParameter] = []
    var headers: [APIParameter] = []
    var body: APIRequestBody?
    var responses: [APIResponse]
    var errors: [Int] = []
    /// Extra text for the operation's description (markdown).
    var notes: String?

    /// A read: `GET` answering `200` with `schema`.
    static func read(
        _ tag: String, _ schema: JSON, query: [APIParameter] = [], errors: [Int] = [], notes: String? = nil
    ) -> APIOperation {
        APIOperation(tag: tag, query: query, responses: [.ok(schema)], errors: errors, notes: notes)
    }

    /// A change with a JSON body, answering `response` (errors default to 422).
    static func write(
        _ tag: String, body: JSON, _ response: APIResponse, errors: [Int] = [422], notes: String? = nil
    ) -> APIOperation {
        APIOperation(tag: tag, body: .json(body), responses: [response], errors: errors, notes: notes)
    }
}

/// A request body: JSON described by a schema, or none on purpose (a `POST` that only triggers work).
enum APIRequestBody: Sendable {
    case json(JSON, isRequired: Bool = true)
    case none

    static func json(_ schema: JSON) -> APIRequestBody { .json(schema, isRequired: true) }
}

/// A query parameter or a request header.
struct APIParameter: Sendable {
    var name: String
    var schema: JSON
    var description: String
    var isRequired = false

    init(_ name: String, _ schema: JSON, _ description: String, isRequired: Bool = false) {
        self.name = name
        self.schema = schema
        self.description = description
        self.isRequired = isRequired
    }
}

/// A success response: its status, what it means, its JSON schema (nil: no body) and, for stateful
/// clients, links from its body to the operations that take what it returned.
struct APIResponse: Sendable {
    var status: Int
    var description: String
    var schema: JSON?
    /// Response header name → what it carries.
    var headers: [String: String] = [:]
    var links: [APILink] = []

    static func ok(_ schema: JSON, _ description: String = "OK") -> APIResponse {
        APIResponse(status: 200, description: description, schema: schema)
    }

    static func created(_ schema: JSON, _ description: String = "Created") -> APIResponse {
        APIResponse(status: 201, description: description, schema: schema)
    }

    static let noContent = APIResponse(status: 204, description: "Done; no body", schema: nil)
    static let notModified = APIResponse(
        status: 304, description: "Not modified since the `If-None-Match` ETag", schema: nil)

    func with(headers: [String: String] = [:], links: [APILink] = []) -> APIResponse {
        var response = self
        response.headers.merge(headers) { _, new in new }
        response.links += links
        return response
    }
}

/// An OpenAPI link: the operation (as its contract key, `"GET /api/v1/connectors/{id}"`) that takes a
/// value of this response as a parameter, e.g. `["id": "$response.body#/id"]`.
struct APILink: Sendable {
    var name: String
    var operation: String
    var parameters: [String: String]

    init(_ name: String, to operation: String, _ parameters: [String: String]) {
        self.name = name
        self.operation = operation
        self.parameters = parameters
    }
}
