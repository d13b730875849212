import JSON

/// The caller, API tokens, members and the audit log (`IdentityAPIRoutes`).
extension APIContract {
    static let identityOperations: [String: APIOperation] = [
        "GET /api/v1/me": .read("Identity", ref("Me")),
        "GET /api/v1/audit-events": .read(
            "Identity", ref("AuditPage"),
            query: [
                APIParameter("limit", int64, "Events per page; clamped to 1...200 (default 50)"),
                APIParameter("before", int64, "The `next_cursor` of the previous page"),
            ],
            errors: [422]),
        "GET /api/v1/tokens": .read("Identity", object(["tokens": array(ref("Token"))])),
        "POST /api/v1/tokens": .write(
            "Identity", body: ref("TokenInput"),
            .created(ref("CreatedToken"), "Created; `secret` is shown this once").with(links: [
                APILink(
                    "RevokeToken", to: "DELETE /api/v1/tokens/{token_id}",
                    ["token_id": "$response.body#/token/id"])
            ])),
        "DELETE /api/v1/tokens/{token_id}": APIOperation(
            tag: "Identity",
            responses: [.ok(object(["token": ref("Token")]), "Revoked; the token stays listed")]),
        "GET /api/v1/members": .read("Identity", object(["members": array(ref("Member"))])),
        "POST /api/v1/members": .write(
            "Identity", body: ref("MemberInput"),
            .created(object(["member": ref("Member")])).with(links: [
                APILink(
                    "ChangeRole", to: "PATCH /api/v1/members/{user_id}",
                    ["user_id": "$response.body#/member/user_id"]),
                APILink(
                    "Remove", to: "DELETE /api/v1/members/{user_id}",
                    ["user_id": "$response.body#/member/user_id"]),
            ]),
            errors: [409, 422]),
        "PATCH /api/v1/members/{user_id}": .write(
            "Identity", body: ref("RoleChange"), .ok(object(["member": ref("Member")])), errors: [409, 422]),
        "DELETE /api/v1/members/{user_id}": APIOperation(
            tag: "Identity", responses: [.noContent], errors: [409]),
    ]

    static let identitySchemas: [String: JSON] = [
        "Role": oneOf(
            ["owner", "admin", "developer", "viewer"], "A role in a workspace (case-insensitive on input)"),
        "Me": object(
            [
                "auth": oneOf(["session", "token"]),
                "permissions": described(stringList, "The RBAC actions the caller may perform"),
                "user": nullable(
                    object(["id": uuid, "email": string, "name": string, "is_superuser": boolean])),
                "tenant": nullable(
                    object(["id": uuid, "slug": string, "name": string, "role": ref("Role")])),
                "token": object(
                    ["id": uuid, "name": string], description: "Only when called with an API token"),
            ], required: ["auth", "permissions", "user", "tenant"]),
        "Token": object([
            "id": uuid, "name": string, "prefix": described(string, "The first characters, to recognise it"),
            "role": ref("Role"), "status": oneOf(["active", "expired", "revoked"]),
            "created_by": nullable(uuid), "created_at": dateTime, "expires_at": nullable(dateTime),
            "revoked_at": nullable(dateTime), "last_used_at": nullable(dateTime),
            "agent_id": described(nullable(string), "The agent the token acts for; null for most tokens"),
        ]),
        "CreatedToken": object(["token": ref("Token"), "secret": described(string, "`pb_...`, shown once")]),
        "TokenInput": described(
            [
                "type": "object", "required": ["name"],
                "properties": [
                    "name": described(string, "1 to 100 characters", examples: ["deploy bot"]),
                    "role": described(
                        ref("Role"),
                        "At most the caller's own role; `viewer` for a token bound to an agent, "
                            + "where it may be left out"),
                    "expires_in_days": nullable(described(int64, "1 to 3650; null or absent: never expires")),
                    "agent_id": described(
                        nullable(trimmedString("[A-Za-z0-9._:-]{0,128}")),
                        "Binds the token to an agent (1 to 128 letters, digits, dots, underscores, colons or "
                            + "dashes): it reads and queries what is attached to that agent. Null or blank: "
                            + "not bound"),
                ],
                "anyOf": [
                    ["required": ["role"]], ["properties": ["agent_id": string], "required": ["agent_id"]],
                ],
            ], "A token to create: `role` is required unless `agent_id` is given"),
        "Member": object([
            "user_id": uuid, "email": string, "name": string, "role": ref("Role"), "joined_at": dateTime,
        ]),
        "MemberInput": object(
            [
                "email": described(string, "The email of an existing account"),
                "role": described(ref("Role"), "At most the caller's own role"),
            ]),
        "RoleChange": object(["role": ref("Role")]),
        "AuditEvent": object([
            "id": integer, "action": string, "actor": string, "actor_user_id": nullable(uuid),
            "target_type": string, "target_id": string, "request_id": string, "ip": string,
            "details": described(any, "What changed; secret values are redacted"),
            "created_at": dateTime,
        ]),
        "AuditPage": object([
            "events": array(ref("AuditEvent")),
            "next_cursor": described(
                nullable(integer), "Pass as `before` for the next page; null at the end"),
        ]),
    ]
}
