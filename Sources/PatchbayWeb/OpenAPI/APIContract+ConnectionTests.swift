import JSON
import Patchbay

/// Connection tests of saved connectors and of unsaved settings, and health-check schedules
/// (`ConnectorTestAPIRoutes`).
extension APIContract {
    static let connectionTestOperations: [String: APIOperation] = [
        "POST /api/v1/connectors/{id}/test": APIOperation(
            tag: "Connectors",
            body: .json(
                object(["timeout_ms": testTimeout], required: [], description: "Optional; `{}` or no body"),
                isRequired: false),
            responses: [
                .ok(ref("SavedConnectionTest"), "The test ran; `success` says what it found")
            ],
            errors: [422],
            notes: "Runs the catalog's probe against the service with the stored settings and "
                + "credentials. A failure puts the connector in `error` with the reason; `unsupported` "
                + "and `cancelled` results are neither stored nor change the status (`recorded: false`)."),
        "POST /api/v1/connectors/test": .write(
            "Connectors", body: ref("ConnectionTestDraft"),
            .ok(ref("ConnectionTestResult"), "The test ran; nothing was saved"),
            errors: [404, 422],
            notes: "Settings or credentials the catalog's schemas refuse are a 422 with the per-field "
                + "map, and nothing is sent. A `connector_id` that does not name a connector of the "
                + "workspace is a 404. Sending a saved secret to changed settings (another host, a newer "
                + "version) needs the **admin** role: a developer gets 403 unless the credentials are "
                + "typed in again."),
        "PUT /api/v1/connectors/{id}/health-check": .write(
            "Connectors", body: ref("HealthCheckChange"),
            .ok(ref("Connector"), "The connector with its new schedule").with(headers: [
                "ETag": "The row version, for `If-Match`"
            ]),
            notes: "A connector type without a connection test (no `test` capability) cannot be "
                + "scheduled: 422. The first check is due one interval from now; turning checks off "
                + "forgets the failure count."),
    ]

    static let connectionTestSchemas: [String: JSON] = [
        "ConnectionTestResult": object(
            [
                "success": described(boolean, "Whether the service works as far as the test could tell"),
                "message": described(string, "What was checked and what it found, for people"),
                "latency_ms": described(integer, "From the start of the test to its verdict, DNS included"),
                "details": described(
                    map(string), "Facts gathered on the way (`status`, `address`, `server_version`...)"),
                "error_kind": described(
                    oneOf(ConnectionTestResult.ErrorKind.allCases.map(\.rawValue)),
                    "Only when `success` is false"),
            ], required: ["success", "message", "latency_ms", "details"],
            description: "Never holds a credential value"),
        "SavedConnectionTest": [
            "allOf": [
                ref("ConnectionTestResult"),
                object([
                    "recorded": described(
                        boolean, "false for `unsupported` and `cancelled`: not stored, status unchanged"),
                    "status": oneOf(["inactive", "active", "error"], "The connector's status afterwards"),
                    "status_message": string,
                    "tested_at": described(nullable(dateTime), "The connector's last recorded test"),
                ]),
            ]
        ],
        "ConnectionTestDraft": described(
            [
                "type": "object",
                "properties": [
                    "catalog_key": described(nullable(string), "A connector type, to test before installing"),
                    "connector_id": described(
                        nullable(uuid),
                        "An installed connector, to test unsaved changes to it (wins "
                            + "over `catalog_key`)"),
                    "config": described(
                        nullable(anyObject),
                        "Settings; with `connector_id` merged into the saved ones "
                            + "(a null member removes one)"),
                    "auth": described(
                        nullable(map(any)), "Credentials; with `connector_id`: " + credentialRules),
                    "upgrade": described(
                        nullable(boolean), "With `connector_id`: test against the type's latest version"),
                    "timeout_ms": testTimeout,
                ],
                "anyOf": [
                    ["properties": ["catalog_key": string], "required": ["catalog_key"]],
                    ["properties": ["connector_id": string], "required": ["connector_id"]],
                ],
            ],
            "Settings and credentials to test without saving them: `catalog_key` or `connector_id` is "
                + "required",
            examples: [
                [
                    "catalog_key": "rest",
                    "config": ["base_url": "https://api.example.com", "health_check_path": "/health"],
                    "auth": ["method": "none"],
                ]
            ]),
        "HealthCheck": object([
            "interval_minutes": described(nullable(integer), "null: scheduled checks are off"),
            "next_check_at": nullable(dateTime), "last_checked_at": nullable(dateTime),
            "consecutive_failures": described(integer, "Failed scheduled checks in a row"),
        ]),
        "HealthCheckChange": object([
            "interval_minutes": described(
                nullable(integer(HealthCheckState.intervals)),
                "Minutes between checks (1 to 10080); null "
                    + "turns them off")
        ]),
    ]

    private static let testTimeout = described(
        nullable(integer(100...60_000)), "Milliseconds; default: the catalog's, else 10000")
}
