import JSON
import Patchbay
import XCTest

final class RequestSpecTests: XCTestCase {
    let scopes: JSONObject = [
        "config": ["instance_url": "https://mastodon.example", "user": "ada", "default_channel": "C1"],
        "auth": ["access_token": "tok-123", "password": "pw"],
        "input": ["status": "Hello \"world\"", "count": 3, "tags": ["a"], "id": "a/b"],
    ]

    func prepare(_ request: JSON, _ scopes: JSONObject? = nil) throws -> PreparedRequest {
        try RequestSpec(manifest: request).prepare(scopes ?? self.scopes)
    }

    func testManifestRequestRendersURLHeadersAndJSONBody() throws {
        let request = try prepare([
            "method": "post",
            "url": "{{{config.instance_url}}}/api/v1/statuses/{{input.id}}",
            "headers": ["Authorization": "Bearer {{auth.access_token}}", "Idempotency-Key": "{{input.key}}"],
            "body_type": "json",
            "body": ["status": "{{input.status}}", "count": "{{input.count}}", "visibility": "public"],
        ])
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://mastodon.example/api/v1/statuses/a%2Fb")
        XCTAssertEqual(request.header("authorization"), "Bearer tok-123")
        XCTAssertNil(request.header("Idempotency-Key"), "a header that renders empty is not sent")
        XCTAssertEqual(request.header("Content-Type"), "application/json")
        XCTAssertEqual(
            try JSON(parsing: request.body),
            ["status": "Hello \"world\"", "count": 3, "visibility": "public"])
    }

    func testQueryValuesAreEncodedAndEmptyOnesDropped() throws {
        let request = try prepare([
            "method": "GET",
            "url": "https://api.example.com/search?fixed=1#ignored",
            "query": [
                "q": "{{input.status}}", "expand[]": "data.items", "cursor": "{{input.cursor}}", "limit": 50,
                "injected": "x&admin=1",
            ],
        ])
        XCTAssertEqual(
            request.url,
            "https://api.example.com/search?fixed=1&q=Hello%20%22world%22&expand%5B%5D=data.items&limit=50&injected=x%26admin%3D1"
        )
    }

    func testQueryAsKeyValueList() throws {
        let request = try prepare([
            "url": "https://api.example.com/x",
            "query": [
                ["key": "a", "value": "1"], ["key": "a", "value": "2"],
                ["name": "b", "value": "{{input.count}}"],
            ],
        ])
        XCTAssertEqual(request.url, "https://api.example.com/x?a=1&a=2&b=3")
        XCTAssertEqual(request.method, "GET")
    }

    func testHeaderCRLFInjectionIsRefused() {
        for value in ["x\r\nX-Admin: 1", "x\nSet-Cookie: a", "x\u{0}y"] {
            var scopes = self.scopes
            scopes["input"] = ["v": .string(value)]
            XCTAssertThrowsError(
                try prepare(["url": "https://h.example/", "headers": ["X-Note": "n {{input.v}}"]], scopes)
            ) { error in
                XCTAssertEqual((error as? RequestError)?.kind, .invalidValue)
                XCTAssertEqual(
                    (error as? RequestError)?.message,
                    "headers.X-Note: the value contains a line break or NUL")
            }
        }
    }

    func testInvalidHeaderNameMethodAndURL() {
        XCTAssertThrowsError(
            try RequestSpec(manifest: ["url": "https://h.example/", "headers": ["Bad Name": "x"]]))
        XCTAssertThrowsError(try RequestSpec(manifest: ["method": "TRACE", "url": "https://h.example/"]))
        XCTAssertThrowsError(try RequestSpec(manifest: ["method": "GET"]))
        XCTAssertThrowsError(
            try RequestSpec(manifest: ["url": "https://h.example/", "body_type": "yaml", "body": "x"]))
        XCTAssertThrowsError(try prepare(["url": "ftp://h.example/"]))
        XCTAssertThrowsError(try prepare(["url": "https:///path"]))
        XCTAssertThrowsError(try prepare(["url": "https://h.example:80x/"]))
        XCTAssertThrowsError(
            try prepare(["url": "{{config.instance_url}}/x"]), "an encoded base URL is not absolute")
    }

    func testMissingVariableInURLFailsEvenInManifestMode() {
        XCTAssertThrowsError(try prepare(["url": "https://h.example/users/{{input.user_id}}"])) { error in
            XCTAssertEqual((error as? RequestError)?.message, "url: missing variable input.user_id")
        }
    }

    func testStrictModeFailsOnMissingHeaderVariables() throws {
        let spec = try RequestSpec(
            manifest: ["url": "https://h.example/", "headers": ["X-Phone": "{{contact.phone}}"]],
            strictness: .strict)
        XCTAssertThrowsError(try spec.prepare(scopes)) { error in
            XCTAssertEqual(
                (error as? RequestError)?.message, "headers.X-Phone: missing variable contact.phone")
        }
    }

    func testAbsentSoleTagMembersAreDroppedAndEmptiedObjectsLeftOut() throws {
        let request = try prepare([
            "method": "POST", "url": "https://h.example/",
            "body": [
                "channel": "{{input.channel}}{{^input.channel}}{{config.default_channel}}{{/input.channel}}",
                "thread_ts": "{{input.thread_ts}}",
                "options": ["a": "{{input.a}}", "b": "{{input.b}}"],
                "kept_empty": [:] as JSON,
                "items": ["{{input.x}}", "{{input.count}}", "literal"],
                "tags": "{{input.tags}}",
                "nested": ["inner": ["gone": "{{input.gone}}"]],
            ],
        ])
        let body = try JSON(parsing: request.body)
        XCTAssertEqual(
            body, ["channel": "C1", "kept_empty": [:] as JSON, "items": [3, "literal"], "tags": ["a"]])
    }

    func testWholeBodyAsOneTag() throws {
        var scopes = self.scopes
        scopes["input"] = ["fields": ["Name": "Acme", "Employees": 12]]
        let request = try prepare(
            ["method": "PATCH", "url": "https://h.example/", "body": "{{input.fields}}"], scopes)
        XCTAssertEqual(try JSON(parsing: request.body), ["Name": "Acme", "Employees": 12])
        let empty = try prepare(["method": "POST", "url": "https://h.example/", "body": "{{input.absent}}"])
        XCTAssertEqual(empty.body, [])
        XCTAssertNil(empty.header("Content-Type"))
    }

    func testLongerBodyStringsWithMissingVariablesFail() {
        XCTAssertThrowsError(
            try prepare(["url": "https://h.example/", "body": ["text": "Hi {{input.name}}"]])
        ) { error in
            XCTAssertEqual((error as? RequestError)?.message, "body.text: missing variable input.name")
        }
    }

    func testFormBodyUsesBracketNotation() throws {
        var scopes = self.scopes
        scopes["input"] = [
            "email": "a+b@example.com", "metadata": ["plan": "pro", "seats": 3],
            "items": [["id": 7, "qty": 1], ["id": 8]], "note": "x y&z", "cleared": nil,
        ]
        let request = try prepare(
            [
                "method": "POST", "url": "https://api.stripe.example/v1/customers", "body_type": "form",
                "body": [
                    "email": "{{input.email}}", "metadata": "{{input.metadata}}", "items": "{{input.items}}",
                    "note": "{{input.note}}", "missing": "{{input.missing}}", "cleared": "{{input.cleared}}",
                    "expand": ["sources"],
                ],
            ], scopes)
        XCTAssertEqual(
            request.bodyText,
            "email=a%2Bb%40example.com&metadata[plan]=pro&metadata[seats]=3&items[0][id]=7&items[0][qty]=1"
                + "&items[1][id]=8&note=x+y%26z&cleared=&expand[0]=sources")
        XCTAssertEqual(request.header("Content-Type"), "application/x-www-form-urlencoded")
    }

    func testRawAndXMLBodies() throws {
        var scopes = self.scopes
        scopes["input"] = ["content": "line 1\n<raw> & \"q\"", "name": "<Ada & co>"]
        let raw = try prepare(
            ["method": "PUT", "url": "https://h.example/", "body_type": "raw", "body": "{{input.content}}"],
            scopes)
        XCTAssertEqual(raw.bodyText, "line 1\n<raw> & \"q\"")
        XCTAssertEqual(raw.header("Content-Type"), "text/plain; charset=utf-8")
        let xml = try prepare(
            [
                "method": "POST", "url": "https://h.example/", "body_type": "xml",
                "headers": ["Content-Type": "text/xml"],
                "body": "<n>{{input.name}}</n><r>{{{input.name}}}</r>",
            ], scopes)
        XCTAssertEqual(xml.bodyText, "<n>&lt;Ada &amp; co&gt;</n><r><Ada & co></r>")
        XCTAssertEqual(
            xml.headers.filter { $0.name.lowercased() == "content-type" }.map(\.value), ["text/xml"])
        XCTAssertThrowsError(
            try RequestSpec(manifest: ["url": "https://h.example/", "body_type": "raw", "body": ["a": 1]]))
    }

    func testTemplatesListsEveryTemplate() throws {
        let spec = try RequestSpec(manifest: [
            "url": "https://h.example/{{input.a}}", "query": ["q": "{{input.b}}"],
            "headers": ["H": "{{input.c}}"],
            "body": ["x": ["y": "{{input.d}}"]],
            "auth": ["type": "basic", "username": "{{config.u}}", "password": "p"],
        ])
        let paths = spec.templates.flatMap(\.referencedPaths).map(\.description)
        XCTAssertEqual(paths, ["input.a", "input.b", "input.c", "input.d", "config.u"])
    }
}
