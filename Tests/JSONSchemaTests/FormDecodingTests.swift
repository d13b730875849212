import JSON
import JSONSchema
import XCTest

final class FormDecodingTests: XCTestCase {
    func testTypedValuesFromPostgresForm() throws {
        let schema = try Schema(ConnectorSchemas.postgres)
        let submission = schema.decodeForm(
            [
                ("config.host", "db.example.com"), ("config.port", " 5433 "), ("config.database", "orders"),
                ("config.username", "app"), ("config.password", "s3cret-pass"),
                ("config.ssl_mode", "verify-full"),
                ("config.schemas[1]", "sales"), ("config.schemas[0]", "public"), ("config.schemas[2]", ""),
                ("config.connect_timeout", ""), ("config.notes", "line 1\nline 2"), ("unrelated", "x"),
            ], namePrefix: "config")
        XCTAssertEqual(submission.fieldErrors, [:])
        XCTAssertEqual(
            submission.value,
            [
                "host": "db.example.com", "port": 5433, "database": "orders", "username": "app",
                "password": "s3cret-pass", "ssl_mode": "verify-full", "schemas": ["public", "sales"],
                "notes": "line 1\nline 2",
            ])
        XCTAssertNil(submission.value["connect_timeout"], "empty inputs are left out")
        guard case .int = submission.value["port"] else { return XCTFail("port should be an integer") }
    }

    func testTypeErrorsBecomeFieldErrors() throws {
        let schema = try Schema(ConnectorSchemas.postgres)
        let submission = schema.decodeForm(
            [
                ("host", "db"), ("port", "abc"), ("database", "d"), ("username", "u"), ("password", "p"),
                ("ssl_mode", "sometimes"), ("connect_timeout", "1.5"),
            ])
        XCTAssertFalse(submission.isValid)
        XCTAssertEqual(submission.fieldErrors["port"], ["must be a whole number"], "no extra 'is required'")
        XCTAssertEqual(submission.fieldErrors["ssl_mode"], ["must be one of the listed options"])
        XCTAssertEqual(submission.fieldErrors["connect_timeout"], ["must be a whole number"])
        XCTAssertNil(submission.value["port"])
    }

    func testCheckboxesAndKeyValueRows() throws {
        let schema = try Schema(ConnectorSchemas.httpRequest)
        let submission = schema.decodeForm(
            [
                ("config.method", "POST"), ("config.url", "https://api.example.com/items"),
                ("config.headers[0].key", "Accept"), ("config.headers[0].value", "application/json"),
                ("config.headers[1].key", ""), ("config.headers[1].value", ""),
                ("config.headers[2].key", ""), ("config.headers[2].value", "orphan"),
                ("config.query_params[0].name", "page"), ("config.query_params[0].value", "2"),
                ("config.timeout_ms", "1500.5"), ("config.retry.max_attempts", "3"),
                ("config.retry.enabled", "on"),
            ], namePrefix: "config")
        XCTAssertEqual(
            submission.value,
            [
                "method": "POST", "url": "https://api.example.com/items",
                "headers": [["key": "Accept", "value": "application/json"], ["value": "orphan"]],
                "query_params": [["name": "page", "value": "2"]], "timeout_ms": 1500.5,
                "retry": ["max_attempts": 3, "enabled": true],
            ])
        XCTAssertEqual(submission.fieldErrors, ["headers[1].key": ["is required"]])

        let unchecked = schema.decodeForm([
            ("method", "GET"), ("url", "https://x.example"), ("retry.max_attempts", "1"),
        ])
        XCTAssertEqual(
            unchecked.value["retry"], ["max_attempts": 1, "enabled": false], "absent checkbox is false")
    }

    func testUnindexedRowsAreNumberedInTheOrderTheyArrive() throws {
        let schema = try Schema(ConnectorSchemas.httpRequest)
        let submission = schema.decodeForm(
            [
                ("config.method", "GET"), ("config.url", "https://api.example.com/items"),
                ("config.headers[][key]", "Accept"), ("config.headers[][value]", "application/json"),
                ("config.headers[][key]", ""), ("config.headers[][value]", ""),
                ("config.headers[][key]", "X-Trace"), ("config.headers[][value]", "1"),
            ], namePrefix: "config")
        XCTAssertEqual(
            submission.value["headers"],
            [["key": "Accept", "value": "application/json"], ["key": "X-Trace", "value": "1"]],
            "the blank row in the middle is dropped, the others keep their order")
        XCTAssertEqual(submission.fieldErrors, [:])

        let postgres = try Schema(ConnectorSchemas.postgres)
        let lists = postgres.decodeForm(
            [("schemas[]", "public"), ("schemas[]", ""), ("schemas[]", "sales")])
        XCTAssertEqual(lists.value["schemas"], ["public", "sales"])
    }

    func testChosenOneOfBranchOnly() throws {
        let schema = try Schema(ConnectorSchemas.airbyteGitHub)
        let pairs: [(name: String, value: String)] = [
            ("config.credentials.auth_type", "PAT"), ("config.credentials.access_token", "ignored"),
            ("config.credentials.personal_access_token", "ghp_0123456789"), ("config.repository", "org/repo"),
            ("config.start_date", "2024-01-01T00:00:00Z"), ("config.page_size", "50"),
        ]
        let submission = schema.decodeForm(pairs, namePrefix: "config")
        XCTAssertEqual(submission.fieldErrors, [:])
        XCTAssertEqual(
            submission.value,
            [
                "credentials": ["auth_type": "PAT", "personal_access_token": "ghp_0123456789"],
                "repository": "org/repo", "start_date": "2024-01-01T00:00:00Z", "page_size": 50,
            ])
        XCTAssertEqual(submission.value["credentials"]?.object?.keys, ["auth_type", "personal_access_token"])

        let oauth = schema.decodeForm(
            [
                ("credentials.auth_type", "OAuth"), ("repository", "org/repo"),
                ("start_date", "2024-01-01T00:00:00Z"),
            ])
        XCTAssertEqual(
            oauth.fieldErrors,
            [
                "credentials": ["is not valid for the \"OAuth\" option"],
                "credentials.access_token": ["is required"],
            ])

        let unknown = schema.decodeForm([("credentials.auth_type", "Basic")])
        XCTAssertEqual(unknown.fieldErrors["credentials"], ["must be one of the listed options"])
    }

    func testSelectKeepsOptionTypesAndMultiSelectCollects() throws {
        let schema = try Schema([
            "properties": [
                "level": ["enum": [1, 2, 3]], "strict": ["enum": [true, false]],
                "formats": ["type": "array", "items": ["enum": ["csv", "json"]]],
            ]
        ])
        let submission = schema.decodeForm([
            ("level", "2"), ("strict", "false"), ("formats", "json"), ("formats", "csv"),
        ])
        XCTAssertEqual(submission.value, ["level": 2, "strict": false, "formats": ["json", "csv"]])
    }
}
