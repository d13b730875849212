import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

final class SettingsPagesTests: XCTestCase {
    private var app: TestApp!
    private var acme: Tenant!

    override func setUp() async throws {
        app = try await TestApp.start()
        acme = try await app.fixtures.tenant("acme", name: "Acme Corp")
        _ = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner, name: "Olive Owner")
        _ = try await app.fixtures.member("viewer@acme.test", of: acme, role: .viewer, name: "Vic Viewer")
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private func signedIn(_ email: String) async throws -> TestSession {
        let browser = app.session()
        let response = try await browser.login(email, IdentityFixtures.password)
        XCTAssertEqual(response.status, 303)
        return browser
    }

    func testAViewerSeesNoAdminControlsAndIsRefusedWhenPostingDirectly() async throws {
        let viewer = try await signedIn("viewer@acme.test")
        let members = try await viewer.get("/settings/members")
        XCTAssertEqual(members.status, 200)
        XCTAssertTrue(members.text.contains("Olive Owner"))
        for control in [
            "Add member", "Create invite link", "Change role", ">Remove<", "href=\"/settings/tokens\"",
            "href=\"/settings/audit\"",
        ] {
            XCTAssertFalse(members.text.contains(control), "a viewer sees \(control)")
        }
        let tokensPage = try await viewer.get("/settings/tokens")
        XCTAssertEqual(tokensPage.status, 403)
        XCTAssertTrue(tokensPage.text.contains("admin role or higher"))
        let create = try await viewer.post(
            "/settings/tokens", form: [("name", "sneaky"), ("role", "viewer")])
        XCTAssertEqual(create.status, 403)
        let add = try await viewer.post(
            "/settings/members", form: [("email", "owner@acme.test"), ("role", "owner")])
        XCTAssertEqual(add.status, 403)
        let count = try await app.fixtures.column("SELECT count(*)::text FROM api_tokens")
        XCTAssertEqual(count, ["0"])
    }

    func testAnOwnerSeesEveryControl() async throws {
        let owner = try await signedIn("owner@acme.test")
        let members = try await owner.get("/settings/members")
        for control in [
            "Add member", "Create invite link", "Change role", ">Remove<", "href=\"/settings/tokens\"",
            "href=\"/settings/audit\"",
        ] {
            XCTAssertTrue(members.text.contains(control), "an owner misses \(control)")
        }
    }

    func testTheLastOwnerMessageIsShownOnThePage() async throws {
        let owner = try await signedIn("owner@acme.test")
        let me = try await owner.api("GET", "/api/v1/me").json()
        let id = try XCTUnwrap(me["user"]?["id"]?.string)
        let demote = try await owner.post("/settings/members/\(id)/role", form: [("role", "admin")])
        XCTAssertEqual(demote.status, 409)
        XCTAssertTrue(demote.text.contains("A workspace needs at least one owner."))
        XCTAssertTrue(demote.text.contains("<html"), "a full page without JavaScript")
        let htmx = try await owner.post(
            "/settings/members/\(id)/remove", headers: [("HX-Request", "true"), ("HX-Target", "main")])
        XCTAssertEqual(htmx.status, 409)
        XCTAssertEqual(htmx.header("HX-Reswap"), "innerHTML", "the client swaps the message in")
        XCTAssertFalse(htmx.text.contains("<html"))
        XCTAssertTrue(htmx.text.contains("A workspace needs at least one owner."))
        let api = try await owner.api("PATCH", "/api/v1/members/\(id)", json: ["role": "viewer"])
        XCTAssertEqual(api.status, 409)
        XCTAssertEqual(try api.json()["error"]?["code"]?.string, "conflict")
    }

    func testATokenCreatedInSettingsIsShownOnceAndWorksOnTheAPI() async throws {
        let owner = try await signedIn("owner@acme.test")
        let created = try await owner.post(
            "/settings/tokens",
            form: [("name", "Deploy bot"), ("role", "developer"), ("expires_in_days", "30")])
        XCTAssertEqual(created.status, 201)
        let secret = try XCTUnwrap(Self.secret(in: created.text))
        XCTAssertTrue(secret.hasPrefix("pb_"))
        let again = try await owner.get("/settings/tokens")
        XCTAssertFalse(again.text.contains(secret), "never shown again")
        XCTAssertTrue(again.text.contains("Deploy bot"))
        XCTAssertTrue(again.text.contains(String(secret.prefix(10))), "the display prefix is")

        let me = try await app.client.get("/api/v1/me", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(me.status, 200)
        XCTAssertEqual(try me.json()["tenant"]?["role"]?.string, "developer")
        XCTAssertEqual(try me.json()["auth"]?.string, "token")
        let listed = try await owner.api("GET", "/api/v1/tokens").json()
        let token = try XCTUnwrap(listed["tokens"]?.array?.first)
        XCTAssertNotEqual(token["last_used_at"], .null, "last use recorded")
        XCTAssertFalse(listed.serializedString().contains(secret))

        let id = try XCTUnwrap(token["id"]?.string)
        let revoke = try await owner.post("/settings/tokens/\(id)/revoke")
        XCTAssertEqual(revoke.status, 303)
        let after = try await app.client.get("/api/v1/me", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(after.status, 401)
    }

    func testAnInviteLinkBringsANewMemberIn() async throws {
        let owner = try await signedIn("owner@acme.test")
        let created = try await owner.post(
            "/settings/invites", form: [("role", "developer"), ("expires_in_days", "2")])
        XCTAssertEqual(created.status, 201)
        let link = try XCTUnwrap(Self.between(created.text, "data-testid=\"invite-link\">", "<"))
        let path = try XCTUnwrap(URL(string: link)?.path)
        XCTAssertTrue(path.hasPrefix("/invites/"))

        _ = try await app.fixtures.user("newbie@else.test")
        let newbie = app.session()
        let bounce = try await newbie.get(path)
        XCTAssertEqual(bounce.status, 303)
        let next = try XCTUnwrap(bounce.header("Location"))
        XCTAssertTrue(next.hasPrefix("/login?next="))
        let login = try await newbie.login("newbie@else.test", IdentityFixtures.password, next: path)
        XCTAssertEqual(login.header("Location"), path)
        let invite = try await newbie.get(path)
        XCTAssertTrue(invite.text.contains("Join Acme Corp"))
        let accepted = try await newbie.post(path)
        XCTAssertEqual(accepted.status, 303)
        let me = try await newbie.api("GET", "/api/v1/me").json()
        XCTAssertEqual(me["tenant"]?["slug"]?.string, "acme")
        XCTAssertEqual(me["tenant"]?["role"]?.string, "developer")
        let reused = try await app.session().get(path)
        XCTAssertEqual(reused.status, 303, "signed out: login first")
        let second = try await newbie.post(path)
        XCTAssertEqual(second.status, 404, "single use")
    }

    func testTheAuditPageListsChangesForAdmins() async throws {
        let owner = try await signedIn("owner@acme.test")
        _ = try await owner.post("/settings/profile", form: [("name", "Olive O.")])
        let audit = try await owner.get("/settings/audit")
        XCTAssertEqual(audit.status, 200)
        for action in ["session.login", "user.profile_updated", "member.granted", "tenant.created"] {
            XCTAssertTrue(audit.text.contains(action), "\(action) is listed")
        }
        let api = try await owner.api("GET", "/api/v1/audit-events?limit=2").json()
        XCTAssertEqual(api["events"]?.array?.count, 2)
        let cursor = try XCTUnwrap(api["next_cursor"]?.int)
        let older = try await owner.api("GET", "/api/v1/audit-events?limit=2&before=\(cursor)").json()
        let olderIDs = older["events"]?.array?.compactMap { $0["id"]?.int } ?? []
        XCTAssertTrue(olderIDs.allSatisfy { $0 < cursor })
        let bad = try await owner.api("GET", "/api/v1/audit-events?limit=lots")
        XCTAssertEqual(bad.status, 422)
    }

    func testProfilePasswordChangeKeepsThisSessionAndEndsOthers() async throws {
        let here = try await signedIn("owner@acme.test")
        let elsewhere = try await signedIn("owner@acme.test")
        let mismatch = try await here.post(
            "/settings/profile/password",
            form: [
                ("current_password", IdentityFixtures.password), ("new_password", "a fresh password"),
                ("confirm_password", "typo"),
            ])
        XCTAssertEqual(mismatch.status, 422)
        XCTAssertTrue(mismatch.text.contains("does not match the new password"))
        let changed = try await here.post(
            "/settings/profile/password",
            form: [
                ("current_password", IdentityFixtures.password), ("new_password", "a fresh password"),
                ("confirm_password", "a fresh password"),
            ])
        XCTAssertEqual(changed.status, 303)
        let stillIn = try await here.get("/settings/profile")
        XCTAssertEqual(stillIn.status, 200)
        XCTAssertTrue(stillIn.text.contains("1 other session was signed out"))
        let signedOut = try await elsewhere.get("/settings/profile")
        XCTAssertEqual(signedOut.status, 303)
    }

    static func secret(in html: String) -> String? {
        between(html, "data-testid=\"new-token-secret\">", "<")
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let from = text.range(of: start)?.upperBound, let to = text[from...].range(of: end)?.lowerBound
        else {
            return nil
        }
        return String(text[from..<to])
    }
}
