import JSON
import JSONSchema
import XCTest

final class FormModelTests: XCTestCase {
    private func field(
        _ fields: [FormField], _ key: String, file: StaticString = #filePath, line: UInt = #line
    ) throws
        -> FormField
    {
        try XCTUnwrap(fields.first { $0.key == key }, "no field \(key)", file: file, line: line)
    }

    func testPostgres() throws {
        let fields = try Schema(ConnectorSchemas.postgres).formFields(namePrefix: "config")
        XCTAssertEqual(
            fields.map(\.key),
            [
                "host", "port", "database", "username", "password", "ssl_mode", "schemas", "connect_timeout",
                "notes",
            ])
        let host = try field(fields, "host")
        XCTAssertEqual(host.name, "config.host")
        XCTAssertEqual(host.path, "host")
        XCTAssertEqual(host.label, "Host")
        XCTAssertEqual(host.placeholder, "db.example.com")
        XCTAssertTrue(host.isRequired)
        XCTAssertEqual(host.kind, .text(.text))
        let port = try field(fields, "port")
        XCTAssertEqual(port.kind, .number(NumberInput(isInteger: true, minimum: 1, maximum: 65535, step: 1)))
        XCTAssertEqual(port.defaultValue, 5432)
        XCTAssertEqual(try field(fields, "database").label, "Database name")
        XCTAssertEqual(try field(fields, "database").maxLength, 63)
        XCTAssertTrue(try field(fields, "password").isSecret)
        XCTAssertEqual(
            try field(fields, "ssl_mode").kind,
            .select([
                FormOption(value: "disable", label: "Disabled"),
                FormOption(value: "require", label: "Required"),
                FormOption(value: "verify-full", label: "Verify certificate and host"),
            ]))
        XCTAssertFalse(try field(fields, "ssl_mode").isRequired)
        guard case .list(let item) = try field(fields, "schemas").kind else {
            return XCTFail("schemas is not a list")
        }
        XCTAssertEqual(item.kind, .text(.text))
        XCTAssertEqual(try field(fields, "schemas").rowName(1), "config.schemas[1]")
        XCTAssertEqual(try field(fields, "connect_timeout").group, "advanced")
        XCTAssertEqual(try field(fields, "connect_timeout").label, "Connect timeout")
        XCTAssertEqual(try field(fields, "notes").kind, .textarea)
    }

    func testSlack() throws {
        let fields = try Schema(ConnectorSchemas.slack).formFields()
        let token = try field(fields, "bot_token")
        XCTAssertEqual(token.kind, .secret)
        XCTAssertEqual(token.name, "bot_token")
        XCTAssertEqual(token.pattern, "^xoxb-")
        XCTAssertEqual(token.description, "Bot User OAuth Token")
        XCTAssertEqual(try field(fields, "default_channel").placeholder, "#general")
        XCTAssertEqual(try field(fields, "workspace_url").kind, .text(.url))
        XCTAssertEqual(try field(fields, "workspace_url").label, "Workspace URL")
        XCTAssertEqual(try field(fields, "notify_on_failure").kind, .checkbox)
        XCTAssertEqual(try field(fields, "notify_on_failure").defaultValue, true)
        XCTAssertEqual(
            try field(fields, "mention").kind,
            .select([
                FormOption(value: "none", label: "Nobody"), FormOption(value: "here", label: "@here"),
                FormOption(value: "channel", label: "@channel"),
            ]))
        XCTAssertEqual(try field(fields, "admin_email").kind, .text(.email))
    }

    func testS3ResolvesReferences() throws {
        let fields = try Schema(ConnectorSchemas.s3).formFields(namePrefix: "config")
        let credentials = try field(fields, "credentials")
        XCTAssertEqual(credentials.label, "Credentials")
        XCTAssertTrue(credentials.isRequired)
        guard case .fieldset(let children) = credentials.kind else {
            return XCTFail("credentials is not a fieldset")
        }
        XCTAssertEqual(
            children.map(\.name),
            ["config.credentials.access_key_id", "config.credentials.secret_access_key"])
        XCTAssertEqual(children.map(\.path), ["credentials.access_key_id", "credentials.secret_access_key"])
        XCTAssertEqual(children[0].label, "Access key ID")
        XCTAssertEqual(children[1].kind, .secret)
        XCTAssertEqual(children[1].label, "Secret access key")
        XCTAssertTrue(children.allSatisfy(\.isRequired))
        XCTAssertEqual(
            try field(fields, "region").kind,
            .select(
                ["us-east-1", "eu-west-1", "ap-southeast-2"].map {
                    FormOption(value: .string($0), label: $0)
                }))
        guard case .multiSelect(let formats) = try field(fields, "formats").kind else {
            return XCTFail("formats is not a multi-select")
        }
        XCTAssertEqual(formats.map(\.formValue), ["csv", "json", "parquet"])
    }

    func testHTTPRequestWithKeyValueRows() throws {
        let fields = try Schema(ConnectorSchemas.httpRequest).formFields(namePrefix: "config")
        let headers = try field(fields, "headers")
        guard case .keyValueList(let key, let value) = headers.kind else {
            return XCTFail("headers is not key/value")
        }
        XCTAssertEqual([key.key, value.key], ["key", "value"])
        XCTAssertTrue(key.isRequired)
        XCTAssertEqual(headers.rowName(0, key), "config.headers[0].key")
        XCTAssertEqual(headers.rowPath(2, value), "headers[2].value")
        guard case .keyValueList(let name, _) = try field(fields, "query_params").kind else {
            return XCTFail("query_params is not key/value")
        }
        XCTAssertEqual(name.key, "name")
        XCTAssertEqual(try field(fields, "query_params").label, "Query params")
        XCTAssertEqual(try field(fields, "body").kind, .textarea)
        XCTAssertEqual(
            try field(fields, "timeout_ms").kind,
            .number(NumberInput(isInteger: false, minimum: 0, maximum: nil, step: 0.5)))
        guard case .fieldset(let retry) = try field(fields, "retry").kind else {
            return XCTFail("retry is not a fieldset")
        }
        XCTAssertEqual(retry.map(\.name), ["config.retry.max_attempts", "config.retry.enabled"])
        XCTAssertEqual(try field(fields, "url").label, "URL")
    }

    func testAirbyteStyleOneOfAuthAndOrder() throws {
        let fields = try Schema(ConnectorSchemas.airbyteGitHub).formFields(namePrefix: "config")
        XCTAssertEqual(fields.map(\.key), ["credentials", "repository", "start_date", "page_size"])
        XCTAssertEqual(fields.map(\.order), [0, 1, 2, 3])
        let credentials = fields[0]
        XCTAssertEqual(credentials.label, "Authentication")
        guard case .choice(let choice) = credentials.kind else {
            return XCTFail("credentials is not a choice")
        }
        XCTAssertEqual(choice.discriminator, "auth_type")
        XCTAssertEqual(choice.selectorName, "config.credentials.auth_type")
        XCTAssertEqual(choice.options.map(\.label), ["OAuth", "Personal Access Token"])
        XCTAssertEqual(choice.options.map(\.value), ["OAuth", "PAT"])
        XCTAssertEqual(choice.options[0].fields.map(\.key), ["access_token", "client_id"])
        XCTAssertEqual(choice.options[0].fields.map(\.kind), [.secret, .secret])
        XCTAssertEqual(choice.options[0].fields[0].name, "config.credentials.access_token")
        XCTAssertEqual(choice.options[0].fields.map(\.isRequired), [true, false])
        XCTAssertEqual(choice.options[1].fields.map(\.key), ["personal_access_token"])
        XCTAssertEqual(choice.options[1].fields[0].minLength, 10)
        XCTAssertEqual(fields[2].placeholder, "2021-03-01T00:00:00Z")
        XCTAssertEqual(fields[2].kind, .text(.dateTime))
        XCTAssertEqual(fields[3].defaultValue, 100)
    }

    func testLabelsAreHumanised() throws {
        let schema = try Schema([
            "properties": [
                "api_key": [:], "startDate": [:], "client_id": [:], "oauthRedirectURL": [:], "ssl": [:],
            ]
        ])
        XCTAssertEqual(
            schema.formFields().map(\.label),
            ["API key", "Start date", "Client ID", "OAuth redirect URL", "SSL"])
    }
}
