import JSON
import Patchbay
import XCTest

final class RequestAuthTests: XCTestCase {
    func generic(_ auth: JSON, url: String = "https://h.example/x?a=1") throws -> PreparedRequest {
        try RequestSpec(manifest: ["url": .string(url), "auth": ["type": "generic"]]).prepare(["auth": auth])
    }

    func testBearer() throws {
        let request = try generic(["method": "bearer", "token": "secret-token"])
        XCTAssertEqual(request.header("Authorization"), "Bearer secret-token")
        XCTAssertThrowsError(try generic(["method": "bearer"]))
        XCTAssertThrowsError(try generic(["method": "bearer", "token": "a\r\nX: y"]))
    }

    func testAPIKeyInHeaderAndQuery() throws {
        let header = try generic([
            "method": "api_key", "name": "X-API-Key", "location": "header", "value": "k 1",
        ])
        XCTAssertEqual(header.header("x-api-key"), "k 1")
        XCTAssertEqual(header.url, "https://h.example/x?a=1")
        let query = try generic([
            "method": "api_key", "name": "api_key", "location": "query", "value": "k&1=",
        ])
        XCTAssertEqual(query.url, "https://h.example/x?a=1&api_key=k%261%3D")
        XCTAssertNil(query.header("api_key"))
        XCTAssertThrowsError(
            try generic(["method": "api_key", "name": "Bad Name", "location": "header", "value": "k"]))
        XCTAssertThrowsError(
            try generic(["method": "api_key", "name": "k", "location": "cookie", "value": "k"]))
    }

    func testBasic() throws {
        let request = try generic(["method": "basic", "username": "Aladdin", "password": "open sesame"])
        XCTAssertEqual(request.header("Authorization"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        XCTAssertEqual(
            try generic(["method": "basic", "username": "u"]).header("Authorization"), "Basic dTo=")
        XCTAssertThrowsError(try generic(["method": "basic", "username": "a:b", "password": "p"]))
    }

    func testNoneOAuthAndUnknown() throws {
        XCTAssertNil(try generic(["method": "none"]).header("Authorization"))
        XCTAssertNil(
            try RequestSpec(manifest: ["url": "https://h.example/", "auth": ["type": "generic"]]).prepare([:])
                .header("Authorization"))
        XCTAssertEqual(
            try generic(["method": "oauth2_client_credentials", "access_token": "at"]).header(
                "Authorization"), "Bearer at")
        XCTAssertThrowsError(try generic(["method": "oauth2_client_credentials", "client_id": "c"]))
        XCTAssertThrowsError(try generic(["method": "ws_security"])) { error in
            XCTAssertEqual((error as? RequestError)?.kind, .unsupportedAuth("ws_security"))
        }
    }

    func testManifestBasicAuthOverridesHeaderAndIsSkippedWithoutUsername() throws {
        let spec = try RequestSpec(manifest: [
            "url": "https://h.example/", "headers": ["authorization": "old"],
            "auth": ["type": "basic", "username": "{{config.user}}", "password": "{{auth.password}}"],
        ])
        let request = try spec.prepare(["config": ["user": "api"], "auth": ["password": "pw"]])
        XCTAssertEqual(request.headers.filter { $0.name.lowercased() == "authorization" }.count, 1)
        XCTAssertEqual(request.header("Authorization"), "Basic YXBpOnB3")
        XCTAssertEqual(try spec.prepare(["auth": ["password": "pw"]]).header("Authorization"), "old")
    }

    func testSigningAuthIsUnsupportedHere() throws {
        let aws = try RequestSpec(manifest: [
            "url": "https://h.example/", "auth": ["type": "aws_sigv4", "service": "s3"],
        ])
        XCTAssertThrowsError(try aws.prepare([:])) { error in
            XCTAssertEqual((error as? RequestError)?.message, "unsupported auth type aws_sigv4")
        }
        let google = try RequestSpec(manifest: [
            "url": "https://h.example/",
            "auth": ["type": "google_service_account", "credentials_json": "{{auth.credentials_json}}"],
        ])
        XCTAssertNoThrow(try google.prepare([:]), "skipped when the credentials render empty")
        XCTAssertThrowsError(try google.prepare(["auth": ["credentials_json": "{}"]])) { error in
            XCTAssertEqual((error as? RequestError)?.message, "unsupported auth type google_service_account")
        }
    }
}
