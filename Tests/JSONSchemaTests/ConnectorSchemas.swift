import JSON

/// Connector configuration schemas shaped like the ones Patchbay's catalog carries.
enum ConnectorSchemas {
    static let postgres: JSON = [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "PostgreSQL",
        "type": "object",
        "required": ["host", "port", "database", "username", "password"],
        "properties": [
            "host": ["type": "string", "format": "hostname", "examples": ["db.example.com"]],
            "port": ["type": "integer", "minimum": 1, "maximum": 65535, "default": 5432],
            "database": ["type": "string", "title": "Database name", "minLength": 1, "maxLength": 63],
            "username": ["type": "string"],
            "password": ["type": "string", "writeOnly": true],
            "ssl_mode": [
                "type": "string", "enum": ["disable", "require", "verify-full"],
                "enumNames": ["Disabled", "Required", "Verify certificate and host"], "default": "require",
            ],
            "schemas": ["type": "array", "items": ["type": "string"], "default": ["public"]],
            "connect_timeout": ["type": "integer", "minimum": 1, "maximum": 300, "group": "advanced"],
            "notes": ["type": "string", "multiline": true],
        ],
    ]

    static let slack: JSON = [
        "type": "object",
        "required": ["bot_token", "default_channel"],
        "properties": [
            "bot_token": [
                "type": "string", "x-secret": true, "pattern": "^xoxb-",
                "description": "Bot User OAuth Token",
            ],
            "default_channel": ["type": "string", "examples": ["#general", "#alerts"]],
            "workspace_url": ["type": "string", "format": "uri"],
            "notify_on_failure": ["type": "boolean", "default": true],
            "mention": [
                "title": "Mention",
                "oneOf": [
                    ["const": "none", "title": "Nobody"], ["const": "here", "title": "@here"],
                    ["const": "channel", "title": "@channel"],
                ],
            ],
            "admin_email": ["type": "string", "format": "email"],
        ],
    ]

    static let s3: JSON = [
        "type": "object",
        "required": ["bucket", "region", "credentials"],
        "$defs": [
            "accessKeys": [
                "type": "object", "required": ["access_key_id", "secret_access_key"],
                "properties": [
                    "access_key_id": ["type": "string", "title": "Access key ID"],
                    "secret_access_key": ["type": "string", "format": "password"],
                ],
            ]
        ],
        "properties": [
            "bucket": ["type": "string", "pattern": "^[a-z0-9.-]{3,63}$"],
            "region": ["type": "string", "enum": ["us-east-1", "eu-west-1", "ap-southeast-2"]],
            "credentials": ["$ref": "#/$defs/accessKeys", "title": "Credentials"],
            "endpoint": ["type": "string", "format": "uri", "description": "For S3-compatible stores"],
            "path_prefix": ["type": "string", "default": ""],
            "formats": [
                "type": "array", "items": ["enum": ["csv", "json", "parquet"]], "uniqueItems": true,
            ],
        ],
    ]

    static let httpRequest: JSON = [
        "type": "object",
        "required": ["method", "url"],
        "properties": [
            "method": ["type": "string", "enum": ["GET", "POST", "PUT", "DELETE"], "default": "GET"],
            "url": ["type": "string", "format": "uri", "title": "URL"],
            "headers": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["key", "value"],
                    "properties": ["key": ["type": "string", "minLength": 1], "value": ["type": "string"]],
                ],
            ],
            "query_params": [
                "type": "array",
                "items": [
                    "type": "object",
                    "properties": ["name": ["type": "string"], "value": ["type": "string"]],
                ],
            ],
            "body": ["type": "string", "format": "textarea"],
            "timeout_ms": ["type": "number", "minimum": 0, "multipleOf": 0.5],
            "retry": [
                "type": "object",
                "properties": [
                    "max_attempts": ["type": "integer", "minimum": 0, "maximum": 10],
                    "enabled": ["type": "boolean"],
                ],
            ],
        ],
    ]

    /// Airbyte-style: draft-07, `order`, `airbyte_secret`, and a `oneOf` of auth methods told
    /// apart by a `const` `auth_type`.
    static let airbyteGitHub: JSON = [
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "GitHub Source Spec",
        "type": "object",
        "required": ["credentials", "repository", "start_date"],
        "properties": [
            "start_date": [
                "type": "string", "title": "Start date", "order": 2, "format": "date-time",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                "examples": ["2021-03-01T00:00:00Z"],
            ],
            "repository": [
                "type": "string", "title": "GitHub Repositories", "order": 1,
                "examples": ["airbytehq/airbyte"],
            ],
            "page_size": ["type": "integer", "order": 3, "default": 100, "minimum": 1, "maximum": 100],
            "credentials": [
                "title": "Authentication", "type": "object", "order": 0,
                "oneOf": [
                    [
                        "title": "OAuth", "type": "object", "required": ["auth_type", "access_token"],
                        "properties": [
                            "auth_type": ["type": "string", "const": "OAuth", "order": 0],
                            "access_token": [
                                "type": "string", "title": "Access Token", "airbyte_secret": true,
                            ],
                            "client_id": ["type": "string", "title": "Client Id", "airbyte_secret": true],
                        ],
                    ],
                    [
                        "title": "Personal Access Token", "type": "object",
                        "required": ["auth_type", "personal_access_token"],
                        "properties": [
                            "auth_type": ["type": "string", "const": "PAT", "order": 0],
                            "personal_access_token": [
                                "type": "string", "title": "Personal Access Tokens", "airbyte_secret": true,
                                "minLength": 10,
                            ],
                        ],
                    ],
                ],
            ],
        ],
    ]
}
