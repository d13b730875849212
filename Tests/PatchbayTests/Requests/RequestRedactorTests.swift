import JSON
import Patchbay
import XCTest

final class RequestRedactorTests: XCTestCase {
    let sentinel = "SENTINEL-s3cr3t/+= é"

    func assertNoSentinel(_ request: PreparedRequest, file: StaticString = #filePath, line: UInt = #line) {
        let forms = [
            sentinel, "SENTINEL-s3cr3t", "s3cr3t%2F", "s3cr3t/+", "s3cr3t%2F%2B", "s3cr3t%2F%2B%3D",
        ]
        let everything = ([request.url, request.bodyText] + request.headers.flatMap { [$0.name, $0.value] })
            .joined(separator: "\n")
        for form in forms {
            XCTAssertFalse(
                everything.contains(form), "found \(form) in\n\(everything)", file: file, line: line)
        }
    }

    func testBearerTokenNeverSurvives() throws {
        let auth: JSONObject = ["method": "bearer", "token": .string(sentinel)]
        let spec = try RequestSpec(manifest: [
            "method": "POST", "url": "https://api.example.com/bot{{auth.token}}/send?echo={{auth.token}}",
            "headers": ["X-Echo": "prefix {{auth.token}}", "X-Plain": "keep me"],
            "query": ["copy": "{{auth.token}}", "page": "2"],
            "body": ["text": "token is {{auth.token}}", "raw": "{{auth.token}}"],
            "auth": ["type": "generic"],
        ])
        let request = try spec.prepare(["auth": .object(auth)])
        XCTAssertTrue(request.url.contains("SENTINEL"), "the real request carries the secret")
        let redacted = request.redacted(auth: auth)
        assertNoSentinel(redacted)
        XCTAssertEqual(redacted.header("Authorization"), "[redacted]")
        XCTAssertEqual(redacted.header("X-Echo"), "[redacted]")
        XCTAssertEqual(redacted.header("X-Plain"), "keep me")
        XCTAssertTrue(redacted.url.hasPrefix("https://api.example.com/bot[redacted]/send?"), redacted.url)
        XCTAssertTrue(redacted.url.contains("page=2"))
        XCTAssertEqual(redacted.method, "POST")
    }

    func testAPIKeyInQueryAndHeader() throws {
        let queryAuth: JSONObject = [
            "method": "api_key", "name": "key", "location": "query", "value": .string(sentinel),
        ]
        let spec = try RequestSpec(manifest: ["url": "https://h.example/v1?x=1", "auth": ["type": "generic"]])
        let query = try spec.prepare(["auth": .object(queryAuth)]).redacted(auth: queryAuth)
        XCTAssertEqual(query.url, "https://h.example/v1?x=1&key=[redacted]")
        assertNoSentinel(query)

        let headerAuth: JSONObject = [
            "method": "api_key", "name": "X-Custom-Credential-Name", "location": "header", "value": "short",
        ]
        let header = try spec.prepare(["auth": .object(headerAuth)]).redacted(auth: headerAuth)
        XCTAssertEqual(header.header("X-Custom-Credential-Name"), "[redacted]")
    }

    func testBasicAuthUserinfoAndCookies() throws {
        let auth: JSONObject = ["method": "basic", "username": "ada", "password": .string(sentinel)]
        let request = PreparedRequest(
            method: "GET",
            url: "https://ada:\(sentinel.addingFormEncoding())@h.example/p?access_token=abc&api_key=def&ok=1",
            headers: [
                .init(name: "Authorization", value: "Basic xyz"), .init(name: "Cookie", value: "s=1"),
                .init(name: "Proxy-Authorization", value: "p"), .init(name: "X-Api-Key", value: "k"),
                .init(name: "X-Auth-Token", value: "t"), .init(name: "Accept", value: "application/json"),
            ])
        let redacted = request.redacted(auth: auth)
        XCTAssertEqual(redacted.url, "https://h.example/p?access_token=[redacted]&api_key=[redacted]&ok=1")
        XCTAssertEqual(
            redacted.headers.map(\.value), Array(repeating: "[redacted]", count: 5) + ["application/json"])
        assertNoSentinel(redacted)
    }

    func testBodiesAreScrubbedInEveryEncoding() throws {
        let auth: JSONObject = ["method": "bearer", "token": .string(sentinel)]
        let json = PreparedRequest(
            method: "POST", url: "https://h.example/",
            headers: [.init(name: "Content-Type", value: "application/json")],
            body: JSON.object(["note": .string("x \(sentinel) y"), "client_secret": "other", "n": 1])
                .serialized())
        let redactedJSON = json.redacted(auth: auth)
        assertNoSentinel(redactedJSON)
        XCTAssertEqual(
            try JSON(parsing: redactedJSON.body),
            ["note": "x [redacted] y", "client_secret": "[redacted]", "n": 1])

        let formBody = "a=1&copy=" + sentinel.addingFormEncoding() + "&password=hunter2"
        let form = PreparedRequest(
            method: "POST", url: "https://h.example/",
            headers: [.init(name: "Content-Type", value: "application/x-www-form-urlencoded")],
            body: Array(formBody.utf8))
        let redactedForm = form.redacted(auth: auth)
        XCTAssertEqual(redactedForm.bodyText, "a=1&copy=[redacted]&password=[redacted]")
    }

    func testNonSecretAuthFieldsAreNotScrubbed() {
        let redactor = RequestRedactor(auth: [
            "method": "api_key", "name": "X-Key", "location": "header", "value": "abcdef",
        ])
        XCTAssertEqual(redactor.secrets, ["abcdef"])
        let request = PreparedRequest(method: "GET", url: "https://h.example/header/query/none")
        XCTAssertEqual(redactor.redact(request).url, "https://h.example/header/query/none")
    }

    func testSecretKeysFromTheSchemaNarrowTheSecrets() {
        let auth: JSONObject = [
            "account_id": "acct-12345", "client_secret": "cs-abcdef", "nested": ["private_key": "pk-98765"],
        ]
        XCTAssertEqual(Set(RequestRedactor(auth: auth).secrets), ["acct-12345", "cs-abcdef", "pk-98765"])
        let narrow = RequestRedactor(auth: auth, secretKeys: ["client_secret", "private_key"])
        XCTAssertEqual(Set(narrow.secrets), ["cs-abcdef", "pk-98765"])
        let request = PreparedRequest(method: "GET", url: "https://h.example/accounts/acct-12345?s=cs-abcdef")
        XCTAssertEqual(narrow.redact(request).url, "https://h.example/accounts/acct-12345?s=[redacted]")
        let extra = request.redacted(auth: auth, secretKeys: [], extraSecrets: ["acct-12345"])
        XCTAssertEqual(extra.url, "https://h.example/accounts/[redacted]?s=cs-abcdef")
    }
}

extension RequestRedactorTests {
    func testScrubbingComparesBytesSoNoNeighbourHidesASecret() {
        let auth: JSONObject = ["method": "bearer", "token": "tok-é-123"]
        // A combining acute accent right after the secret makes "3\u{301}" one character: a
        // character-by-character search would not see the secret there.
        let text = PreparedRequest(
            method: "POST", url: "https://h.example/",
            headers: [.init(name: "Content-Type", value: "text/plain")],
            body: Array("x tok-é-123\u{301} y tok-é-123tok-é-123 «tok-é-123» tok-é-12".utf8))
        XCTAssertEqual(
            text.redacted(auth: auth).bodyText,
            "x [redacted]\u{301} y [redacted][redacted] «[redacted]» tok-é-12")
        let path = PreparedRequest(method: "GET", url: "https://h.example/a/tok-%C3%A9-123\u{301}/b")
        XCTAssertEqual(path.redacted(auth: auth).url, "https://h.example/a/[redacted]\u{301}/b")
    }
}

extension String {
    fileprivate func addingFormEncoding() -> String {
        var output = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): output += "+"
            default: output += "%" + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }
}
