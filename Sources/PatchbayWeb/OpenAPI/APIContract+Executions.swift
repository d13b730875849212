import JSON

/// Running connectors (now, queued, again, or in a chain) and reading their executions
/// (`ExecutionAPIRoutes`).
extension APIContract {
    static let executionOperations: [String: APIOperation] = [
        "POST /api/v1/connectors/{id}/execute": APIOperation(
            tag: "Executions", query: [runsQueued],
            body: .json(ref("ExecutionInput"), isRequired: false),
            responses: [finishedRun, queuedRun], errors: [409, 422, 501],
            notes: "Only active custom HTTP connectors run: 409 when the connector is not active, 501 "
                + "for a catalog type whose actions Patchbay does not run yet, 422 for one with nothing "
                + "to execute. A run that failed (the service said no, a timeout) is still a 200: "
                + "`status` and `error` say how it went, and it is kept in the connector's executions."),
        "GET /api/v1/connectors/{id}/executions": .read(
            "Executions", ref("ExecutionPage"),
            query: [
                APIParameter("limit", integer(1...100), "Executions per page (default 25)"),
                APIParameter("before", string, "The `next_cursor` of the previous page"),
            ],
            errors: [422]),
        "GET /api/v1/executions/{execution_id}": .read("Executions", ref("ExecutionRecord")),
        "POST /api/v1/executions/{execution_id}/replay": APIOperation(
            tag: "Executions", query: [runsQueued], body: APIRequestBody.none,
            responses: [finishedRun, queuedRun], errors: [409, 422, 501],
            notes: "Runs the connector again with the input stored with the execution, as a new "
                + "execution whose `replay_of` names this one. Refused like an execute when the connector "
                + "cannot run now."),
        "POST /api/v1/chains/run": .write(
            "Executions", body: ref("ChainInput"), .ok(ref("ChainResult"), "The chain ran (or stopped)"),
            errors: [404, 409, 422, 501],
            notes: "Runs the connectors in order; each sees the contact with what the earlier ones "
                + "mapped merged in, and the chain stops at the first that fails. Every connector is "
                + "checked before any runs: one that is not the workspace's is a 404, one that cannot "
                + "run is refused as an execute would be, each with `fields.connectors[n]`."),
    ]

    static let executionSchemas: [String: JSON] = [
        "ExecutionInput": object(
            [
                "input": described(nullable(anyObject), "What the templates read as `{{input.…}}`"),
                "contact": described(nullable(anyObject), "What the templates read as `{{contact.…}}`"),
                "workspace": described(nullable(anyObject), "What the templates read as `{{workspace.…}}`"),
            ], required: [], description: "Each member optional; `{}` or no body runs with none"),
        "ChainInput": object(
            [
                "connectors": described(
                    ["type": "array", "items": uuid, "minItems": 1, "maxItems": 10],
                    "Connector ids, run in this order (one may appear more than once)"),
                "input": described(nullable(anyObject), "Every connector's `{{input.…}}`"),
                "contact": described(nullable(anyObject), "The first connector's `{{contact.…}}`"),
                "workspace": described(nullable(anyObject), "Every connector's `{{workspace.…}}`"),
            ], required: ["connectors"]),
        "ExecutionError": object(
            [
                "kind": described(
                    nullable(string),
                    "invalid_config, missing_variable, invalid_request, blocked, network, timeout, "
                        + "http_status, response_too_large, cancelled, recording, not_runnable or node_lost"),
                "message": described(string, "For people; never holds a credential value"),
                "step": described(string, "The step (or, in a chain, the connector) that failed"),
            ], required: ["kind", "message"]),
        "MappingProblem": object(
            ["step": string, "source_path": string, "target_field": string, "message": string],
            required: ["source_path", "target_field", "message"]),
        "SentRequest": object(
            [
                "method": string, "url": string, "headers": map(string),
                "body": described(any, "JSON as JSON, other bodies as text"),
                "body_truncated": boolean,
            ], required: ["method", "url", "headers"],
            description: "The last request sent, credentials redacted"),
        "ExecutionOutput": object(
            [
                "mapped": described(anyObject, "What the field mappings copied out of the response"),
                "mapping_problems": array(ref("MappingProblem")),
                "raw_response": described(string, "The last response body, cut to the server's cap"),
                "raw_response_truncated": boolean,
                "steps": described(
                    array(["allOf": [ref("ExecutionOutcome"), object(["name": string])]]),
                    "For a multi-step connector: each step that ran"),
                "skipped_steps": described(stringList, "Steps that did not run after one failed"),
            ], required: []),
        "ExecutionOutcome": [
            "allOf": [
                ref("ExecutionOutput"),
                object(
                    [
                        "status": oneOf(["completed", "failed"]), "http_status": integer,
                        "duration_ms": integer,
                        "attempts": described(integer, "Requests sent, retries included"),
                        "error": ref("ExecutionError"), "request": ref("SentRequest"),
                        "mapped": anyObject,
                    ], required: ["status", "mapped", "duration_ms", "attempts"]),
            ]
        ],
        "ExecutionResult": [
            "allOf": [
                ref("ExecutionOutcome"),
                object([
                    "execution_id": uuid, "connector_id": uuid, "status": oneOf(["completed", "failed"]),
                ]),
            ]
        ],
        "ExecutionSummary": object([
            "id": uuid, "connector_id": uuid,
            "status": oneOf(["pending", "executing", "completed", "failed"]),
            "mode": oneOf(["sync", "async"]), "http_status": nullable(integer),
            "error": nullable(ref("ExecutionError")), "attempts": integer,
            "duration_ms": nullable(integer), "created_at": dateTime, "queued_at": nullable(dateTime),
            "started_at": nullable(dateTime), "finished_at": nullable(dateTime),
            "claims": described(integer, "How often a worker took the run up (0 when run in the request)"),
            "replay_of": described(nullable(uuid), "The execution this one ran again"),
            "created_by": described(string, "The user's or the API token's name"),
        ]),
        "ExecutionRecord": [
            "allOf": [
                ref("ExecutionSummary"), ref("ExecutionOutput"),
                object([
                    "input": described(any, "`{input, contact, workspace}` as run, credentials scrubbed"),
                    "request": nullable(ref("SentRequest")),
                ]),
            ]
        ],
        "ExecutionPage": object([
            "items": described(array(ref("ExecutionSummary")), "Newest first"),
            "next_cursor": described(nullable(string), "Pass as `before` for the next page; null at the end"),
        ]),
        "ChainResult": object(
            [
                "status": oneOf(["completed", "failed"]),
                "contact": described(
                    anyObject, "The contact after every completed connector's mapped fields"),
                "steps": array([
                    "allOf": [
                        ref("ExecutionOutcome"),
                        object(["name": string, "execution_id": nullable(uuid), "connector_id": uuid]),
                    ]
                ]),
                "skipped": described(stringList, "Connectors that did not run after one failed"),
                "error": ref("ExecutionError"), "duration_ms": integer,
            ], required: ["status", "contact", "steps", "duration_ms"]),
    ]

    /// `?async=true` (or `1`, in any case) queues the run; absent, empty, `false` or `0` runs it now.
    private static let runsQueued = APIParameter(
        "async", ["type": "string", "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)?$"],
        "`true` queues the run for a worker (202); `false` or absent runs it in the request (200)")

    private static let finishedRun = APIResponse.ok(
        ref("ExecutionResult"), "The run finished, completed or failed (see `status` and `error`)"
    ).with(links: [
        APILink(
            "GetExecution", to: "GET /api/v1/executions/{execution_id}",
            ["execution_id": "$response.body#/execution_id"]),
        APILink(
            "Replay", to: "POST /api/v1/executions/{execution_id}/replay",
            ["execution_id": "$response.body#/execution_id"]),
    ])

    private static let queuedRun = APIResponse(
        status: 202, description: "Queued; follow it at `Location`",
        schema: object(["execution_id": uuid, "status": oneOf(["pending"])])
    ).with(
        headers: ["Location": "The execution's URL"],
        links: [
            APILink(
                "GetExecution", to: "GET /api/v1/executions/{execution_id}",
                ["execution_id": "$response.body#/execution_id"])
        ])
}
