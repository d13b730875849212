import JSON

/// Connectors attached to agents, and read-only queries on database connectors (`AttachmentAPIRoutes`).
extension APIContract {
    static let attachmentOperations: [String: APIOperation] = [
        "POST /api/v1/connectors/{id}/attach": .write(
            "Attachments", body: ref("AttachmentInput"),
            .created(ref("Attachment"), "Attached").with(links: [
                APILink(
                    "Detach", to: "DELETE /api/v1/connectors/instances/{instance_id}",
                    ["instance_id": "$response.body#/instance_id"]),
                APILink(
                    "AgentConnectors", to: "GET /api/v1/agents/{agent_id}/connectors",
                    ["agent_id": "$response.body#/agent_id"]),
            ]),
            errors: [409, 422],
            notes: "Every problem is a 422 with the per-field map: `agent_id`, `alias`, and "
                + "`config_override.<setting>` for a credential, a setting the connector type does not "
                + "have, one that decides where the credentials go (host, port, URLs, TLS), or a value "
                + "that makes the settings invalid. An alias the agent already uses (ignoring case) is a "
                + "409 with `fields.alias`."),
        "GET /api/v1/agents/{agent_id}/connectors": .read(
            "Attachments",
            object(["agent_id": string, "items": array(ref("Attachment"))], description: "In alias order"),
            errors: [422],
            notes: "An agent with no attachments (agents live outside Patchbay) has an empty list; an "
                + "`agent_id` of the wrong shape is a 422."),
        "DELETE /api/v1/connectors/instances/{instance_id}": APIOperation(
            tag: "Attachments", responses: [.noContent]),
        "POST /api/v1/connectors/{id}/query": .write(
            "Queries", body: ref("QueryInput"), .ok(ref("QueryResult"), "The statement ran"),
            errors: [409, 422, 501],
            notes: "One statement in a read-only transaction, with the connector's credentials (never "
                + "shown). 422: a connector that is not a database, input out of range (per field), or "
                + "a statement the server refused or cancelled (its message under `fields.sql`); 501: a "
                + "database other than PostgreSQL, CockroachDB or Redshift; 409: a connector that is not "
                + "active; 503: the database server cannot be reached. An API token bound to an agent "
                + "may query only connectors attached to its agent (403 otherwise), with the "
                + "attachment's settings."),
    ]

    static let attachmentSchemas: [String: JSON] = [
        "Attachment": object([
            "instance_id": described(uuid, "The attachment's id, for detaching"),
            "agent_id": string, "alias": string,
            "connector": object([
                "id": uuid, "name": string, "catalog_key": string,
                "status": oneOf(["inactive", "active", "error"]),
            ]),
            "config": described(
                anyObject, "The effective settings: the connector's, with the override laid over"),
            "config_override": described(anyObject, "The settings this attachment replaces"),
            "auth": described(
                map(ref("AuthField")), "The connector's credentials: never their secret values"),
            "created_at": dateTime, "created_by": string,
        ]),
        "AttachmentInput": object(
            [
                "agent_id": described(
                    trimmedString("[A-Za-z0-9._:-]{1,128}"),
                    "The agent's id, opaque to Patchbay; surrounding spaces are trimmed",
                    examples: ["support-bot"]),
                "alias": described(
                    trimmedString("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
                    "What the agent calls this connector, unique per agent ignoring case",
                    examples: ["reports"]),
                "config_override": described(
                    nullable(anyObject),
                    "Top-level settings that replace the connector's for this agent; "
                        + "never credentials, hosts, ports, URLs or TLS settings"),
            ], required: ["agent_id", "alias"]),
        "QueryInput": object(
            [
                "sql": described(
                    ["type": "string", "minLength": 1],
                    "One statement with `$1...$n` placeholders; at most 100000 characters",
                    examples: ["SELECT 1 AS one"]),
                "params": described(
                    nullable(array(any)),
                    "Values for `$1`, `$2`...: null is SQL NULL, numbers and booleans "
                        + "go as their JSON text, arrays and objects as JSON; at most 1000"),
                "timeout_ms": described(
                    nullable(["type": "integer", "minimum": 1]),
                    "Lowers the statement timeout: 1 to the "
                        + "server's limit (5000 unless `PATCHBAY_QUERY_TIMEOUT_MS` says otherwise)"),
                "max_rows": described(
                    nullable(["type": "integer", "minimum": 1]),
                    "Lowers the row cap: 1 to the server's "
                        + "(1000 unless `PATCHBAY_QUERY_MAX_ROWS` says otherwise)"),
                "alias": described(
                    nullable(string),
                    "For an agent's token whose agent has this connector under several "
                        + "aliases: which attachment's settings to use; refused for other callers"),
            ], required: ["sql"]),
        "QueryResult": object([
            "columns": array(
                object([
                    "name": string,
                    "type": described(string, "The server's type name: `int4`, `text`, `timestamptz`..."),
                ])),
            "rows": described(
                array(array(any)),
                "Integers, floats, booleans and json keep their type; other values "
                    + "(numeric, dates, uuids, arrays) are the server's text, which is exact"),
            "row_count": integer,
            "truncated": described(boolean, "More rows (or bytes) than the cap: the rest were left out"),
            "duration_ms": described(integer, "From connecting to the last row"),
        ]),
    ]
}
