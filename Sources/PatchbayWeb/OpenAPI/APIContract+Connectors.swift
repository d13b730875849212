import JSON

/// Installed connectors, config validation and publish targets (`ConnectorAPIRoutes`).
extension APIContract {
    static let connectorOperations: [String: APIOperation] = [
        "GET /api/v1/installed": listConnectors,
        "GET /api/v1/connectors": listConnectors,
        "POST /api/v1/connectors": .write(
            "Connectors", body: ref("ConnectorInput"),
            connector(.created(ref("Connector"), "Installed (inactive until activated)"))
                .with(headers: ["Location": "The new connector's URL"], links: connectorLinks),
            errors: [409, 422]),
        "GET /api/v1/connectors/{id}": APIOperation(
            tag: "Connectors", responses: [connector(.ok(ref("Connector")))]),
        "PUT /api/v1/connectors/{id}": APIOperation(
            tag: "Connectors", headers: [ifMatch], body: .json(ref("ConnectorReplacement")),
            responses: [connector(.ok(ref("Connector")))], errors: [409, 422]),
        "PATCH /api/v1/connectors/{id}": APIOperation(
            tag: "Connectors", headers: [ifMatch], body: .json(ref("ConnectorChanges")),
            responses: [connector(.ok(ref("Connector")))], errors: [409, 422]),
        "DELETE /api/v1/connectors/{id}": APIOperation(
            tag: "Connectors", headers: [ifMatch], responses: [.noContent], errors: [409]),
        "POST /api/v1/connectors/{id}/status": APIOperation(
            tag: "Connectors", headers: [ifMatch], body: .json(ref("StatusChange")),
            responses: [connector(.ok(ref("Connector")))], errors: [409, 422]),
        "GET /api/v1/connectors/{id}/upgrade": .read("Connectors", ref("UpgradePlan")),
        "POST /api/v1/connectors/{id}/upgrade": APIOperation(
            tag: "Connectors", headers: [ifMatch],
            body: .json(object(["row_version": rowVersionSchema], required: []), isRequired: false),
            responses: [connector(.ok(ref("Connector")))], errors: [409, 422]),
        "POST /api/v1/validate-config": .write(
            "Connectors", body: ref("ConfigCheck"),
            .ok(object(["valid": boolean, "fields": ref("FieldErrors")], description: "Nothing is saved"))),
        "GET /api/v1/publish-targets": .read(
            "Connectors",
            object([
                "items": array(
                    object(["id": uuid, "name": string, "catalog_key": string, "capabilities": stringList]))
            ])),
    ]

    private static let listConnectors = APIOperation.read(
        "Connectors", ref("ConnectorPage"),
        query: [
            APIParameter("status", oneOf(["inactive", "active", "error"]), "Only connectors in this status"),
            APIParameter("category", string, "Only this catalog category"),
            APIParameter("tag", string, "Only connectors with this tag"),
            APIParameter("q", string, "Words to find in the name or the connector type"),
            APIParameter("limit", integer(1...200), "Connectors per page (default 50)"),
            APIParameter("offset", integer(0...1_000_000), "Connectors to skip (default 0)"),
        ],
        errors: [422])

    private static let ifMatch = APIParameter(
        "If-Match", string, "The connector's ETag (`\"3\"`): refused with 409 if it changed since")

    private static func connector(_ response: APIResponse) -> APIResponse {
        response.with(headers: ["ETag": "The row version, for `If-Match`"])
    }

    private static let connectorLinks = [
        APILink("Get", to: "GET /api/v1/connectors/{id}", ["id": "$response.body#/id"]),
        APILink("Replace", to: "PUT /api/v1/connectors/{id}", ["id": "$response.body#/id"]),
        APILink("Change", to: "PATCH /api/v1/connectors/{id}", ["id": "$response.body#/id"]),
        APILink("SetStatus", to: "POST /api/v1/connectors/{id}/status", ["id": "$response.body#/id"]),
        APILink("UpgradePlan", to: "GET /api/v1/connectors/{id}/upgrade", ["id": "$response.body#/id"]),
        APILink("Delete", to: "DELETE /api/v1/connectors/{id}", ["id": "$response.body#/id"]),
        APILink("Test", to: "POST /api/v1/connectors/{id}/test", ["id": "$response.body#/id"]),
        APILink(
            "ScheduleHealthChecks", to: "PUT /api/v1/connectors/{id}/health-check",
            ["id": "$response.body#/id"]),
        APILink("Attach", to: "POST /api/v1/connectors/{id}/attach", ["id": "$response.body#/id"]),
        APILink("Query", to: "POST /api/v1/connectors/{id}/query", ["id": "$response.body#/id"]),
        APILink("Execute", to: "POST /api/v1/connectors/{id}/execute", ["id": "$response.body#/id"]),
        APILink("Executions", to: "GET /api/v1/connectors/{id}/executions", ["id": "$response.body#/id"]),
    ]
}
