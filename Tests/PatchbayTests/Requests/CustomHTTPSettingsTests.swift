import JSON
import Patchbay
import XCTest

final class CustomHTTPSettingsTests: XCTestCase {
    let scopes: JSONObject = [
        "contact": ["email": "ada@example.com", "name": "Ada \"The Countess\"", "age": 36],
        "workspace": ["id": "w 1"],
        "input": ["id": "x/y"],
        "auth": ["method": "bearer", "token": "tok"],
    ]

    func testDefaultsFromTheCatalogSchema() throws {
        let settings = try CustomHTTPSettings(config: ["url": "https://h.example/"])
        XCTAssertEqual(settings.request.method, "GET")
        XCTAssertEqual(settings.request.bodyType, .none)
        XCTAssertEqual(settings.timeout, .milliseconds(10_000))
        XCTAssertEqual(settings.retry.retries, 2)
        XCTAssertEqual(settings.retry.baseDelay, .milliseconds(500))
        XCTAssertTrue(settings.followRedirects)
        XCTAssertTrue(settings.verifyTLS)
        XCTAssertEqual(settings.fieldMappings, [])
    }

    func testFullConfig() throws {
        let settings = try CustomHTTPSettings(config: [
            "method": "POST",
            "url": "https://h.example/v1/{{workspace.id}}/contacts/{{input.id}}",
            "headers": [["key": "X-Trace", "value": "{{contact.email}}"]],
            "query_params": [
                ["key": "lookup", "value": "{{contact.email}}"],
                ["key": "opt", "value": "{{input.opt | default: ''}}"],
            ],
            "body_type": "json",
            "body":
                #"{"name": "{{contact.name}}", "age": {{contact.age}}, "city": "{{contact.city | default: "unknown"}}"}"#,
            "timeout_ms": 2500, "retries": 4, "retry_backoff_ms": 100, "retry_on_status": [429, 503],
            "follow_redirects": false, "verify_tls": false,
            "field_mappings": [["source_path": "$.data.id", "target_field": "record_id"]],
        ])
        XCTAssertEqual(settings.timeout, .milliseconds(2500))
        XCTAssertEqual(settings.retry.maxAttempts, 5)
        XCTAssertEqual(settings.retry.retryableStatuses, [429, 503])
        XCTAssertFalse(settings.followRedirects)
        XCTAssertEqual(settings.fieldMappings.map(\.target), ["record_id"])
        let request = try settings.request.prepare(scopes)
        XCTAssertEqual(request.url, "https://h.example/v1/w%201/contacts/x%2Fy?lookup=ada%40example.com")
        XCTAssertEqual(request.header("X-Trace"), "ada@example.com")
        XCTAssertEqual(request.header("Authorization"), "Bearer tok")
        XCTAssertEqual(request.header("Content-Type"), "application/json")
        XCTAssertEqual(
            try JSON(parsing: request.body), ["name": "Ada \"The Countess\"", "age": 36, "city": "unknown"])
    }

    func testJSONBodyThatParsesBeforeRenderingKeepsSoleTagTypes() throws {
        let settings = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "json",
            "body": #"{"email": "{{contact.email}}", "age": "{{contact.age}}"}"#,
        ])
        XCTAssertEqual(
            try JSON(parsing: try settings.request.prepare(scopes).body),
            ["email": "ada@example.com", "age": 36])
    }

    func testMissingVariableIsAnErrorEverywhere() throws {
        let header = try CustomHTTPSettings(config: [
            "url": "https://h.example/",
            "headers": [["key": "X-Phone", "value": "{{contact.phone_number}}"]],
        ])
        XCTAssertThrowsError(try header.request.prepare(scopes)) { error in
            XCTAssertEqual(
                (error as? RequestError)?.message, "headers.X-Phone: missing variable contact.phone_number")
        }
        let body = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "json",
            "body": #"{"p": "{{contact.phone}}"}"#,
        ])
        XCTAssertThrowsError(try body.request.prepare(scopes)) { error in
            XCTAssertEqual((error as? RequestError)?.message, "body.p: missing variable contact.phone")
        }
    }

    func testJSONBodyMustBeWellFormedAfterRendering() throws {
        let settings = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "json",
            "body": #"{"a": {{contact.email}}"#,
        ])
        XCTAssertThrowsError(try settings.request.prepare(scopes)) { error in
            XCTAssertEqual((error as? RequestError)?.kind, .invalidValue)
            XCTAssertFalse(
                (error as? RequestError)?.message.contains("ada@") ?? true, "no values in messages")
        }
    }

    func testFormXMLRawBodiesAndContentTypeOverride() throws {
        let form = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "form",
            "body": "name={{contact.name}}&n=1",
        ])
        XCTAssertEqual(try form.request.prepare(scopes).bodyText, "name=Ada+%22The+Countess%22&n=1")
        let formJSON = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "form",
            "body": #"{"c": {"email": "{{contact.email}}"}}"#,
        ])
        XCTAssertEqual(try formJSON.request.prepare(scopes).bodyText, "c[email]=ada%40example.com")
        let xml = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "xml",
            "body": "<n>{{contact.name}}</n>",
            "content_type": "text/xml; charset=utf-8",
        ])
        let prepared = try xml.request.prepare(scopes)
        XCTAssertEqual(prepared.bodyText, "<n>Ada &quot;The Countess&quot;</n>")
        XCTAssertEqual(prepared.header("content-type"), "text/xml; charset=utf-8")
        let raw = try CustomHTTPSettings(config: [
            "method": "POST", "url": "https://h.example/", "body_type": "raw",
            "body": "hello {{contact.name}}",
        ])
        XCTAssertEqual(try raw.request.prepare(scopes).bodyText, "hello Ada \"The Countess\"")
    }

    func testInvalidConfigs() {
        XCTAssertThrowsError(try CustomHTTPSettings(config: ["method": "GET"]))
        XCTAssertThrowsError(try CustomHTTPSettings(config: ["url": "https://h.example/", "retries": 11]))
        XCTAssertThrowsError(
            try CustomHTTPSettings(config: ["url": "https://h.example/", "timeout_ms": "fast"]))
        XCTAssertThrowsError(try CustomHTTPSettings(config: ["url": "https://h.example/{{input.id"]))
        XCTAssertThrowsError(
            try CustomHTTPSettings(config: [
                "url": "https://h.example/",
                "field_mappings": [["source_path": "$..x", "target_field": "x"]],
            ]))
    }
}
