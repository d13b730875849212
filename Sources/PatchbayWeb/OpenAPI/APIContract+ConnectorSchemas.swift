import JSON

/// The bodies of the installed-connector operations (`ConnectorJSON`).
extension APIContract {
    static let connectorSchemas: [String: JSON] = [
        "Connector": object([
            "id": uuid, "name": string, "status": oneOf(["inactive", "active", "error"]),
            "status_message": string,
            "catalog": object([
                "key": string, "name": string, "category": string, "version": string,
                "latest_version": string,
                "upgrade_available": boolean, "icon_url": string, "capabilities": stringList,
            ]),
            "config": described(anyObject, "The settings, as the catalog version's config schema describes"),
            "auth": described(map(ref("AuthField")), "Credentials by field: never their secret values"),
            "tags": stringList,
            "last_test": nullable(
                object([
                    "tested_at": dateTime, "result": oneOf(["success", "failure"]),
                    "latency_ms": nullable(integer), "error": nullable(string),
                ])),
            "health_check": ref("HealthCheck"),
            "created_at": dateTime, "created_by": string, "updated_at": dateTime, "updated_by": string,
            "row_version": described(integer, "Grows with every change; send it back to edit safely"),
        ]),
        "AuthField": object(
            [
                "set": boolean, "secret": boolean, "fingerprint": string, "updated_at": dateTime,
                "updated_by": string, "value": described(any, "Only for fields that are not secret"),
            ], required: ["set", "secret"]),
        "ConnectorPage": object([
            "items": array(ref("Connector")), "total": integer, "limit": integer, "offset": integer,
        ]),
        "ConnectorInput": described(
            object(
                [
                    "catalog_key": described(string, "The connector type, e.g. `postgresql`"),
                    "name": described(
                        string, "Unique in the workspace, ignoring case; at most 120 characters"),
                    "config": described(nullable(anyObject), "Settings; null or absent: none"),
                    "auth": described(nullable(map(any)), "Credentials; null or absent: none"),
                    "tags": described(nullable(stringList), "At most 12 tags of at most 32 characters"),
                ], required: ["catalog_key", "name"]),
            "A connector to install",
            examples: [
                [
                    "catalog_key": "openai", "name": "Assistant",
                    "config": ["base_url": "https://api.openai.com/v1", "default_model": "gpt-4o-mini"],
                    "auth": ["api_key": "sk-exampleexampleexample00"], "tags": ["ai"],
                ]
            ]),
        "ConnectorReplacement": object(
            [
                "name": string, "config": anyObject, "tags": nullable(stringList),
                "auth": described(nullable(map(any)), credentialRules), "row_version": rowVersionSchema,
            ], required: ["name", "config"]),
        "ConnectorChanges": object(
            [
                "name": nullable(string),
                "config": described(
                    nullable(anyObject), "Merged into the settings; a null member removes one"),
                "tags": nullable(stringList), "auth": described(nullable(map(any)), credentialRules),
                "row_version": rowVersionSchema,
            ], required: []),
        "StatusChange": object(
            ["status": oneOf(["active", "inactive"]), "row_version": rowVersionSchema], required: ["status"]),
        "UpgradePlan": object([
            "from_version": string, "to_version": string,
            "ready": described(boolean, "false when the settings need changes first (see `fields`)"),
            "fields": ref("FieldErrors"),
        ]),
        "ConfigCheck": object(
            [
                "catalog_key": string, "config": nullable(anyObject), "auth": nullable(map(any)),
            ], required: ["catalog_key"]),
    ]

    static let credentialRules =
        "By field: a value replaces, `\"\"` or null clears, `{\"unchanged\": true}` (or the object a GET "
        + "returned) or leaving it out keeps"

    static let rowVersionSchema = described(
        nullable(int64), "The `row_version` last seen; a change made since is refused with 409")
}
