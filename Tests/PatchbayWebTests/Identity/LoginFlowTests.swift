import Foundation
import JSON
import Patchbay
import PatchbayWeb
import TestSupport
import XCTest

final class LoginFlowTests: XCTestCase {
    private func startWithOwner(
        identity: IdentitySettings = .testing, web: WebSettings = WebSettings()
    ) async throws -> (TestApp, Tenant) {
        let app = try await TestApp.start(identity: identity, web: web)
        addTeardownBlock { await app.stop() }
        let tenant = try await app.fixtures.tenant("acme", name: "Acme Corp")
        _ = try await app.fixtures.member("ada@acme.test", of: tenant, role: .owner, name: "Ada Lovelace")
        return (app, tenant)
    }

    func testSignedOutVisitorsAreSentToTheLoginPageAndBack() async throws {
        let (app, _) = try await startWithOwner()
        let browser = app.session()
        let page = try await browser.get("/settings/members")
        XCTAssertEqual(page.status, 303)
        XCTAssertEqual(page.header("Location"), "/login?next=%2Fsettings%2Fmembers")
        let api = try await browser.get("/api/v1/me")
        XCTAssertEqual(api.status, 401)
        XCTAssertEqual(try api.json()["error"]?["code"]?.string, "unauthorized")
        let catalog = try await browser.get("/features/connectors/catalog")
        XCTAssertEqual(catalog.header("Location"), "/login?next=%2Ffeatures%2Fconnectors%2Fcatalog")

        let login = try await browser.login(
            "ada@acme.test", IdentityFixtures.password, next: "/settings/members")
        XCTAssertEqual(login.status, 303)
        XCTAssertEqual(login.header("Location"), "/settings/members")
        let members = try await browser.get("/settings/members")
        XCTAssertEqual(members.status, 200)
        XCTAssertTrue(members.text.contains("Ada Lovelace"))
        XCTAssertTrue(members.text.contains("Acme Corp"))
    }

    func testTheSessionCookieIsHttpOnlyLaxAndRotatesAtEachLogin() async throws {
        let (app, _) = try await startWithOwner()
        let browser = app.session()
        let login = try await browser.login("ada@acme.test", IdentityFixtures.password)
        let cookie = try XCTUnwrap(login.headers("Set-Cookie").first { $0.hasPrefix("pb_session=") })
        XCTAssertTrue(cookie.contains("HttpOnly"))
        XCTAssertTrue(cookie.contains("SameSite=Lax"))
        XCTAssertTrue(cookie.contains("Path=/"))
        XCTAssertFalse(cookie.contains("Secure"), "plain http without a public https URL")
        let first = try XCTUnwrap(browser.cookies["pb_session"])

        _ = try await browser.login("ada@acme.test", IdentityFixtures.password)
        let second = try XCTUnwrap(browser.cookies["pb_session"])
        XCTAssertNotEqual(first, second, "a new session id at every login")
        let old = app.session()
        old.setCookie("pb_session", first)
        let stale = try await old.get("/settings/profile")
        XCTAssertEqual(stale.status, 303, "the replaced session no longer works")
        XCTAssertTrue(
            stale.headers("Set-Cookie").contains { $0.hasPrefix("pb_session=;") }, "stale cookie dropped")
    }

    func testBehindHTTPSTheCookieIsSecureWithTheHostPrefix() async throws {
        let (app, _) = try await startWithOwner(web: WebSettings(publicURL: "https://patchbay.example.com"))
        let browser = app.session()
        _ = try await browser.get("/login")
        let response = try await browser.post(
            "/login", form: [("email", "ada@acme.test"), ("password", IdentityFixtures.password)],
            origin: "https://patchbay.example.com")
        XCTAssertEqual(response.status, 303)
        let cookie = try XCTUnwrap(
            response.headers("Set-Cookie").first { $0.hasPrefix("__Host-pb_session=") })
        XCTAssertTrue(cookie.contains("; Secure"))
        XCTAssertTrue(cookie.contains("Path=/"))
        XCTAssertFalse(cookie.lowercased().contains("domain="))
        let crossOrigin = try await browser.post(
            "/logout", origin: "http://127.0.0.1:\(app.client.port)")
        XCTAssertEqual(crossOrigin.status, 403, "only the public origin counts as ours")
    }

    func testWrongPasswordShowsTheFormAgainAndThrottlingSaysSoClearly() async throws {
        let (app, _) = try await startWithOwner(
            identity: IdentitySettings(accountFailureLimit: 2, scrypt: IdentitySettings.testing.scrypt))
        let browser = app.session()
        _ = try await browser.get("/login")
        let wrong = try await browser.post(
            "/login", form: [("email", "ada@acme.test"), ("password", "nope nope")])
        XCTAssertEqual(wrong.status, 401)
        XCTAssertTrue(wrong.text.contains("The email or password is incorrect."))
        XCTAssertTrue(wrong.text.contains("value=\"ada@acme.test\""), "the email is kept")
        let paused = try await browser.post(
            "/login", form: [("email", "ada@acme.test"), ("password", "nope again")])
        XCTAssertEqual(paused.status, 429)
        XCTAssertTrue(paused.text.contains("Too many attempts"))
        XCTAssertTrue(paused.text.contains("15 minutes"))
        XCTAssertEqual(paused.header("Retry-After").flatMap(Int.init).map { $0 > 800 }, true)
        let right = try await browser.post(
            "/login", form: [("email", "ada@acme.test"), ("password", IdentityFixtures.password)])
        XCTAssertEqual(right.status, 429, "paused even with the right password")
        XCTAssertNil(browser.cookies["pb_session"])
    }

    func testLogoutEndsTheSessionOnTheServer() async throws {
        let (app, _) = try await startWithOwner()
        let browser = app.session()
        _ = try await browser.login("ada@acme.test", IdentityFixtures.password)
        let cookie = try XCTUnwrap(browser.cookies["pb_session"])
        let logout = try await browser.post("/logout")
        XCTAssertEqual(logout.status, 303)
        XCTAssertEqual(logout.header("Location"), "/login?notice=logged_out")
        XCTAssertNil(browser.cookies["pb_session"])
        let notice = try await browser.get("/login?notice=logged_out")
        XCTAssertTrue(notice.text.contains("You have been logged out."))
        let replay = app.session()
        replay.setCookie("pb_session", cookie)
        let after = try await replay.get("/api/v1/me")
        XCTAssertEqual(after.status, 401, "a copied cookie is worthless after logout")
    }

    func testTheLoginNextParameterStaysOnThisSite() async throws {
        let (app, _) = try await startWithOwner()
        for next in ["//evil.example/x", "https://evil.example", "/\\evil.example"] {
            let browser = app.session()
            let response = try await browser.login("ada@acme.test", IdentityFixtures.password, next: next)
            XCTAssertEqual(response.header("Location"), "/features/connectors/catalog", next)
        }
    }

    func testSwitchingTenantChangesWhatThePagesShow() async throws {
        let (app, acme) = try await startWithOwner()
        let labs = try await app.fixtures.tenant("labs", name: "Labs Inc")
        let other = try await app.fixtures.tenant("other", name: "Other Co")
        let found = try await UserService(environment: app.environment).find(email: "ada@acme.test")
        let ada = try XCTUnwrap(found)
        try await app.fixtures.grant(ada, labs, .viewer)
        let browser = app.session()
        _ = try await browser.login("ada@acme.test", IdentityFixtures.password)
        let before = try await browser.get("/settings/members")
        XCTAssertTrue(
            before.text.contains("<option value=\"\(labs.id.uuidString.lowercased())\">Labs Inc</option>"))
        XCTAssertFalse(before.text.contains("Other Co"))

        let refused = try await browser.post("/session/tenant", form: [("tenant_id", other.id.uuidString)])
        XCTAssertEqual(refused.status, 404)
        let switched = try await browser.post("/session/tenant", form: [("tenant_id", labs.id.uuidString)])
        XCTAssertEqual(switched.status, 303)
        let me = try await browser.api("GET", "/api/v1/me").json()
        XCTAssertEqual(me["tenant"]?["slug"]?.string, "labs")
        XCTAssertEqual(me["tenant"]?["role"]?.string, "viewer")
        let page = try await browser.get("/settings/profile")
        XCTAssertTrue(
            page.text.contains("You are now working in Labs Inc."), "flash toast after the redirect")
        XCTAssertFalse(page.text.contains("Add a member"))
        _ = acme
    }
}
