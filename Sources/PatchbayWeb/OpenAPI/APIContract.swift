import JSON

/// The API contract: for each `/api/v1` operation, keyed by `"METHOD /path"` exactly as the router
/// spells the pattern, what ``OpenAPIDocument`` cannot read from the route table (tag, parameters,
/// bodies, responses), plus the reusable schemas they refer to.
///
/// Adding a route under `/api/v1`: add its entry to its group's table (`APIContract+Connectors.swift`
/// and so on; a new group gets its own file and a line in `operations` and `schemas` below).
/// `OpenAPIContractTests` fails while a route has no entry or an entry has no route.
enum APIContract {
    /// Every group's operations. A key listed twice keeps its first entry (a test refuses duplicates).
    static let operations: [String: APIOperation] = merged(operationTables)
    static let operationTables = [
        docsOperations, identityOperations, catalogOperations, connectorOperations, connectionTestOperations,
        attachmentOperations, executionOperations,
    ]

    /// Every reusable schema, by name (`components.schemas`).
    static let schemas: [String: JSON] = merged(schemaTables)
    static let schemaTables = [
        sharedSchemas, identitySchemas, catalogSchemas, connectorSchemas, connectionTestSchemas,
        attachmentSchemas, executionSchemas,
    ]

    /// Path parameters by name, shared by every route that uses the name (others are plain strings).
    static let pathParameters: [String: APIParameter] = [
        "id": APIParameter("id", uuid, "The installed connector's id"),
        "token_id": APIParameter("token_id", uuid, "The API token's id"),
        "user_id": APIParameter("user_id", uuid, "The member's user id"),
        "key": APIParameter("key", string, "The catalog entry's key, e.g. `postgresql`"),
        "agent_id": APIParameter(
            "agent_id", ["type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$"],
            "The agent's id, opaque to Patchbay (1 to 128 letters, digits, dots, underscores, colons or "
                + "dashes)"),
        "instance_id": APIParameter("instance_id", uuid, "The attachment's id (`instance_id`)"),
        "execution_id": APIParameter("execution_id", uuid, "The execution's id"),
    ]

    /// Tags in the order the docs page lists them, with what each covers.
    static let tags: [(name: String, description: String)] = [
        ("Identity", "The caller, API tokens, members and the audit log"),
        ("Catalog", "Connector types: the platform catalog and workspace-private entries"),
        ("Connectors", "Installed connectors: install, configure, activate, upgrade, test"),
        ("Attachments", "Installed connectors handed to agents under aliases, with settings of their own"),
        ("Queries", "Read-only SQL on database connectors, with credentials the caller never sees"),
        ("Executions", "Running custom HTTP connectors (now, queued, again, in a chain) and their history"),
        ("Meta", "This document"),
    ]

    static let docsOperations: [String: APIOperation] = [
        "GET /api/v1/openapi.json": APIOperation(
            tag: "Meta", responses: [.ok(anyObject, "This OpenAPI 3.1 document")],
            notes: "Public: the contract holds no workspace data. Rendered for people at `/api/docs`.")
    ]

    static let sharedSchemas: [String: JSON] = [
        "Error": described(
            object([
                "error": [
                    "type": "object", "additionalProperties": false,
                    "required": ["code", "message", "request_id"],
                    "properties": [
                        "code": described(
                            string,
                            "bad_request, unauthorized, forbidden, not_found, conflict, validation_failed, "
                                + "content_too_large, unsupported_media_type, too_many_requests, unavailable, "
                                + "not_implemented"),
                        "message": described(string, "For people; never holds a secret value"),
                        "request_id": described(string, "Quote it when reporting a problem"),
                        "fields": ref("FieldErrors"),
                    ],
                ]
            ]), "The one error shape of every API response with a 4xx or 5xx status"),
        "FieldErrors": described(
            map(stringList), "Field path → messages, e.g. `{\"config.port\": [\"must be at most 65535\"]}`"),
    ]

    static func merged<Value>(_ tables: [[String: Value]]) -> [String: Value] {
        tables.reduce(into: [:]) { all, table in all.merge(table) { first, _ in first } }
    }
}
