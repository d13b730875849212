import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

final class CSRFTests: XCTestCase {
    private var app: TestApp!
    private var browser: TestSession!

    override func setUp() async throws {
        app = try await TestApp.start()
        let tenant = try await app.fixtures.tenant("acme")
        _ = try await app.fixtures.member("ada@acme.test", of: tenant, role: .owner, name: "Ada")
        browser = app.session()
        let login = try await browser.login("ada@acme.test", IdentityFixtures.password)
        XCTAssertEqual(login.status, 303)
        XCTAssertNotNil(browser.csrfToken)
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private func assertRefused(
        _ response: TestResponse, _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(response.status, 403, message, file: file, line: line)
        XCTAssertTrue(
            response.text.contains("Reload the page") || response.text.contains("Cross-site"), file: file,
            line: line)
    }

    private func name() async throws -> String {
        try await browser.api("GET", "/api/v1/me").json()["user"]?["name"]?.string ?? ""
    }

    func testAFormPostWithoutTheTokenIsRefused() async throws {
        let response = try await browser.post("/settings/profile", form: [("name", "Mallory")], csrf: false)
        assertRefused(response, "missing token")
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/html") ?? false, "a clear page")
        let current = try await name()
        XCTAssertEqual(current, "Ada")
    }

    func testAWrongTokenIsRefused() async throws {
        let response = try await browser.post(
            "/settings/profile", form: [("name", "Mallory"), ("csrf_token", "forged-token-value")],
            csrf: false)
        assertRefused(response, "wrong token")
        // Another session's token is just as wrong.
        let other = app.session()
        _ = try await other.login("ada@acme.test", IdentityFixtures.password)
        let foreign = try await browser.post(
            "/settings/profile", form: [("name", "Mallory"), ("csrf_token", other.csrfToken ?? "")],
            csrf: false)
        assertRefused(foreign, "token of another session")
        let current = try await name()
        XCTAssertEqual(current, "Ada")
    }

    func testACrossOriginPostIsRefusedEvenWithTheToken() async throws {
        let response = try await browser.post(
            "/settings/profile", form: [("name", "Mallory")], origin: "https://evil.example")
        assertRefused(response, "cross-origin")
        let nullOrigin = try await browser.post(
            "/settings/profile", form: [("name", "Mallory")], origin: "null")
        assertRefused(nullOrigin, "opaque origin")
        let noOrigin = try await browser.post("/settings/profile", form: [("name", "Mallory")], origin: nil)
        assertRefused(noOrigin, "neither Origin nor Sec-Fetch-Site")
        let crossSite = try await browser.post(
            "/settings/profile", form: [("name", "Mallory")], origin: nil,
            headers: [("Sec-Fetch-Site", "cross-site")])
        assertRefused(crossSite, "Sec-Fetch-Site: cross-site")
        let current = try await name()
        XCTAssertEqual(current, "Ada")
    }

    func testASameOriginPostWithTheTokenWorks() async throws {
        let response = try await browser.post("/settings/profile", form: [("name", "Ada L.")])
        XCTAssertEqual(response.status, 303)
        var current = try await name()
        XCTAssertEqual(current, "Ada L.")
        // Browsers that omit Origin on same-origin requests still send Sec-Fetch-Site.
        let fetchSite = try await browser.post(
            "/settings/profile", form: [("name", "Ada Lovelace")], origin: nil,
            headers: [("Sec-Fetch-Site", "same-origin")])
        XCTAssertEqual(fetchSite.status, 303)
        current = try await name()
        XCTAssertEqual(current, "Ada Lovelace")
    }

    func testTheHTMXClientsHeaderCarriesTheToken() async throws {
        let response = try await browser.post(
            "/settings/profile", form: [("name", "Via HTMX")], csrf: false,
            headers: [("X-CSRF-Token", browser.csrfToken ?? ""), ("HX-Request", "true")])
        XCTAssertEqual(response.status, 200)
        XCTAssertFalse(response.text.contains("<html"), "a fragment, not a page")
        XCTAssertTrue(response.header("HX-Trigger")?.contains("showToast") ?? false)
        let current = try await name()
        XCTAssertEqual(current, "Via HTMX")
    }

    func testTheJSONAPIWithACookieNeedsTheHeaderToken() async throws {
        let created: JSON = ["name": "from cookie", "role": "viewer"]
        let without = try await browser.api("POST", "/api/v1/tokens", json: created, csrf: false)
        XCTAssertEqual(without.status, 403)
        XCTAssertEqual(try without.json()["error"]?["code"]?.string, "forbidden")
        let with = try await browser.api("POST", "/api/v1/tokens", json: created)
        XCTAssertEqual(with.status, 201)
    }

    func testBearerTokensNeedNoCSRFToken() async throws {
        let tenant = try await TenantService(environment: app.environment).require(slug: "acme")
        let token = try await app.fixtures.token(in: tenant, role: .admin, name: "automation")
        let response = try await app.client.send(
            "POST", "/api/v1/tokens",
            headers: [("Authorization", "Bearer \(token.secret)"), ("Content-Type", "application/json")],
            body: JSON.object(["name": "made by a bot", "role": "viewer"]).serialized())
        XCTAssertEqual(response.status, 201)
        // A bearer request from elsewhere carries no ambient authority, so Origin does not matter.
        let crossOrigin = try await app.client.send(
            "DELETE", "/api/v1/tokens/\(try response.json()["token"]?["id"]?.string ?? "")",
            headers: [("Authorization", "Bearer \(token.secret)"), ("Origin", "https://elsewhere.example")])
        XCTAssertEqual(crossOrigin.status, 200)
    }

    func testTheLoginFormIsProtectedAgainstLoginCSRF() async throws {
        let visitor = app.session()
        // A forged login from another site has neither our login cookie nor a same-origin Origin.
        let forged = try await visitor.post(
            "/login", form: [("email", "ada@acme.test"), ("password", IdentityFixtures.password)],
            csrf: false,
            origin: "https://evil.example")
        XCTAssertEqual(forged.status, 403)
        let noCookie = try await visitor.post(
            "/login",
            form: [
                ("email", "ada@acme.test"), ("password", IdentityFixtures.password), ("csrf_token", "guess"),
            ],
            csrf: false)
        XCTAssertEqual(noCookie.status, 403)
        XCTAssertNil(visitor.cookies["pb_session"])
    }
}
