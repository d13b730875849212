import JSON

/// The catalog of connector types (`CatalogAPI`).
extension APIContract {
    static let catalogOperations: [String: APIOperation] = [
        "GET /api/v1/catalog": APIOperation(
            tag: "Catalog",
            query: [
                APIParameter("q", string, "Words to find in the name, description, provider or tags"),
                APIParameter("category", string, "One category, e.g. `database`"),
                APIParameter("kind", string, "api, database, storage, messaging or http"),
                APIParameter("status", string, "draft, beta, stable or deprecated"),
                APIParameter("limit", integer(1...500), "Entries per page (default 100)"),
                APIParameter("offset", integer(0...1_000_000), "Entries to skip (default 0)"),
            ],
            headers: [APIParameter("If-None-Match", string, "An ETag of this list seen before")],
            responses: [
                APIResponse.ok(ref("CatalogPage")).with(headers: ["ETag": "The list's version"]),
                .notModified,
            ]),
        "POST /api/v1/catalog": .write(
            "Catalog", body: ref("ManifestInput"),
            .created(ref("CatalogEntry"), "Published (a new entry or a new version)").with(links: [
                APILink("GetEntry", to: "GET /api/v1/catalog/{key}", ["key": "$response.body#/key"])
            ]),
            errors: [409, 422],
            notes: "Publishing the same version with the same content again answers 200 and changes nothing."),
        "GET /api/v1/catalog/{key}": .read("Catalog", ref("CatalogEntry")),
        "GET /api/v1/catalog/{key}/versions": .read(
            "Catalog", object(["items": array(ref("CatalogVersion"))])),
        "GET /api/v1/connector-types": .read(
            "Catalog", object(["items": array(object(["kind": string, "providers": stringList]))])),
        "POST /api/v1/admin/catalog/sync": APIOperation(
            tag: "Catalog", body: APIRequestBody.none,
            responses: [.ok(ref("CatalogSyncSummary"), "Synced; all or nothing")], errors: [409, 422],
            notes: "Reads the server's `Seeds/` folder; a manifest that is invalid or changed without a "
                + "version bump refuses the whole run (the `fields` map names the files)."),
    ]

    static let catalogSchemas: [String: JSON] = [
        "CatalogSummary": object([
            "key": string, "name": string, "description": string, "category": string, "kind": string,
            "provider": string, "icon_url": string, "auth_type": string, "status": string, "version": string,
            "docs_url": string, "capabilities": stringList, "tags": stringList,
            "is_platform": described(boolean, "false for a workspace-private entry"),
        ]),
        "CatalogEntry": [
            "allOf": [
                ref("CatalogSummary"),
                object([
                    "config_schema": described(anyObject, "JSON Schema of the settings"),
                    "auth_schema": described(anyObject, "JSON Schema of the credentials"),
                    "actions": array(anyObject), "triggers": array(anyObject),
                    "test": described(any, "How a connection test probes the service; null when none"),
                    "status_note": nullable(string),
                ]),
            ]
        ],
        "CatalogPage": object([
            "items": array(ref("CatalogSummary")), "total": integer, "limit": integer, "offset": integer,
        ]),
        "CatalogVersion": object([
            "version": string, "checksum": string, "created_at": dateTime, "is_latest": boolean,
        ]),
        "CatalogSyncSummary": object([
            "added": described(stringList, "Keys of new entries"),
            "upgraded": described(stringList, "Keys that got a new version"),
            "unchanged": described(integer, "How many manifests were already current"),
        ]),
        "ManifestInput": described(
            [
                "type": "object", "additionalProperties": false,
                "required": [
                    "key", "name", "version", "description", "category", "kind", "provider", "icon",
                    "auth_type",
                    "status", "docs_url", "capabilities", "config_schema", "auth_schema",
                ],
                "properties": [
                    "key": string, "name": string, "version": string, "description": string,
                    "category": string, "kind": string, "provider": string, "icon": string,
                    "auth_type": string, "status": string, "status_note": string, "docs_url": string,
                    "capabilities": array(string), "tags": array(string), "oauth": anyObject,
                    "config_schema": anyObject, "auth_schema": anyObject, "test": anyObject,
                    "publish_action": string, "actions": array(anyObject), "triggers": array(anyObject),
                ],
            ],
            "A connector manifest (docs/manifests.md). The server checks it against "
                + "docs/manifest.schema.json, which is stricter than this outline; unknown members are "
                + "refused."),
    ]
}
