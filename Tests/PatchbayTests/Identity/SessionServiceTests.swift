import Foundation
import Patchbay
import Postgres
import TestSupport
import XCTest

final class SessionServiceTests: XCTestCase {
    private var harness: TestEnvironment!
    private var sessions: SessionService { SessionService(environment: harness.environment) }
    private let request = RequestInfo(requestID: "req-1", ip: "10.0.0.1", userAgent: "tests")

    override func setUp() async throws {
        harness = try await TestEnvironment.start(
            identity: IdentitySettings(
                sessionTouchInterval: .seconds(0), accountFailureLimit: 3, addressFailureLimit: 5,
                scrypt: IdentitySettings.testing.scrypt))
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    private func ownerOfAcme() async throws -> (Tenant, User) {
        let tenant = try await harness.fixtures.tenant("acme", name: "Acme")
        let user = try await harness.fixtures.member("ada@example.com", of: tenant, role: .owner)
        return (tenant, user)
    }

    func testLoginWithTheRightPasswordGivesASessionInTheFirstTenant() async throws {
        let (tenant, user) = try await ownerOfAcme()
        let session = try await sessions.login(
            email: "ADA@example.com ", password: IdentityFixtures.password, replacing: nil, request: request)
        let identity = try await harness.fixtures.identity(of: session)
        XCTAssertEqual(identity.userID, user.id)
        XCTAssertEqual(identity.tenant?.tenantID, tenant.id)
        XCTAssertEqual(identity.tenant?.role, .owner)
        XCTAssertEqual(identity.csrfToken, session.csrfToken)
        XCTAssertGreaterThanOrEqual(session.token.count, 43, "256-bit token")
        let stored = try await harness.fixtures.column(
            "SELECT token_hash FROM sessions WHERE id = $1", [session.id])
        XCTAssertNotEqual(stored.first, session.token, "only the hash is stored")
        let expected = try await harness.fixtures.column(
            "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [session.token])
        XCTAssertEqual(stored.first, expected.first)
        let actions = try await harness.fixtures.column(
            "SELECT action FROM audit_events WHERE actor_user_id = $1 AND request_id = 'req-1'", [user.id])
        XCTAssertEqual(actions, ["session.login"])
    }

    func testWrongPasswordAndUnknownAccountGetTheSameAnswer() async throws {
        _ = try await ownerOfAcme()
        for (email, password) in [
            ("ada@example.com", "wrong password!"), ("nobody@example.com", "anything at all"),
        ] {
            do {
                _ = try await sessions.login(
                    email: email, password: password, replacing: nil, request: request)
                XCTFail("login should fail for \(email)")
            } catch let error as AppError {
                XCTAssertEqual(error.kind, .unauthorized)
                XCTAssertEqual(error.message, "The email or password is incorrect.")
            }
        }
        let failures = try await harness.fixtures.column(
            "SELECT details->>'email' FROM audit_events WHERE action = 'session.login_failed' ORDER BY id")
        XCTAssertEqual(failures, ["ada@example.com", "nobody@example.com"])
        let leaked = try await harness.fixtures.column(
            "SELECT details::text FROM audit_events WHERE details::text LIKE '%wrong password%'")
        XCTAssertTrue(leaked.isEmpty, "passwords never reach the audit log")
    }

    func testAnAccountIsPausedAfterTooManyFailuresEvenWithTheRightPassword() async throws {
        _ = try await ownerOfAcme()
        var kinds: [AppError.Kind] = []
        for attempt in 1...4 {
            do {
                _ = try await sessions.login(
                    email: "ada@example.com", password: "bad guess \(attempt)", replacing: nil,
                    request: RequestInfo(requestID: "r", ip: "10.0.0.\(attempt)"))
            } catch let error as AppError {
                kinds.append(error.kind)
                if error.kind == .tooManyRequests {
                    XCTAssertTrue(error.message.contains("minutes"), error.message)
                    XCTAssertGreaterThan(error.retryAfterSeconds ?? 0, 0)
                }
            }
        }
        // Limit 3: the third failure pauses the account, whatever address the attempts came from.
        XCTAssertEqual(kinds, [.unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests])
        do {
            _ = try await sessions.login(
                email: "ada@example.com", password: IdentityFixtures.password, replacing: nil,
                request: request)
            XCTFail("a paused account must not log in")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .tooManyRequests)
        }
        // Once the pause is over, the right password works and clears the count.
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE login_throttle SET locked_until = now() - interval '1 second'")
        }
        _ = try await sessions.login(
            email: "ada@example.com", password: IdentityFixtures.password, replacing: nil, request: request)
    }

    func testAnAddressIsPausedAfterFailuresAcrossAccounts() async throws {
        _ = try await ownerOfAcme()
        var throttled = false
        for attempt in 1...5 {
            do {
                _ = try await sessions.login(
                    email: "user\(attempt)@example.com", password: "guess", replacing: nil, request: request)
            } catch let error as AppError where error.kind == .tooManyRequests {
                throttled = true
                XCTAssertEqual(attempt, 5, "address limit is 5")
            } catch let error as AppError {
                XCTAssertEqual(error.kind, .unauthorized)
            }
        }
        XCTAssertTrue(throttled)
        // Another address can still log in to the real account.
        _ = try await sessions.login(
            email: "ada@example.com", password: IdentityFixtures.password, replacing: nil,
            request: RequestInfo(requestID: "r", ip: "10.9.9.9"))
    }

    func testIdleAndAbsoluteExpiryEndSessions() async throws {
        let (tenant, user) = try await ownerOfAcme()
        let idle = try await harness.fixtures.session(for: user, in: tenant)
        let absolute = try await harness.fixtures.session(for: user, in: tenant)
        let fresh = try await harness.fixtures.session(for: user, in: tenant)
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE id = $1", [idle.id])
            try await connection.execute(
                "UPDATE sessions SET absolute_expires_at = now() - interval '1 second' WHERE id = $1",
                [absolute.id])
        }
        let idleIdentity = try await sessions.authenticate(token: idle.token)
        let absoluteIdentity = try await sessions.authenticate(token: absolute.token)
        let freshIdentity = try await sessions.authenticate(token: fresh.token)
        XCTAssertNil(idleIdentity)
        XCTAssertNil(absoluteIdentity)
        XCTAssertNotNil(freshIdentity)
    }

    func testActivityExtendsTheIdleExpiryButNeverPastTheAbsoluteOne() async throws {
        let (tenant, user) = try await ownerOfAcme()
        let session = try await harness.fixtures.session(for: user, in: tenant)
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                """
                UPDATE sessions SET idle_expires_at = now() + interval '1 minute',
                    absolute_expires_at = now() + interval '1 hour', last_seen_at = now() - interval '1 hour'
                WHERE id = $1
                """, [session.id])
        }
        _ = try await sessions.authenticate(token: session.token)
        let extended = try await harness.fixtures.column(
            "SELECT (idle_expires_at = absolute_expires_at)::text FROM sessions WHERE id = $1", [session.id])
        XCTAssertEqual(extended, ["true"], "a 12-hour idle window is capped by the 1-hour absolute expiry")
    }

    func testLogoutEndsTheSession() async throws {
        let (tenant, user) = try await ownerOfAcme()
        let session = try await harness.fixtures.session(for: user, in: tenant)
        try await sessions.logout(try await harness.fixtures.identity(of: session), request: request)
        let after = try await sessions.authenticate(token: session.token)
        XCTAssertNil(after)
        let count = try await harness.fixtures.column(
            "SELECT count(*)::text FROM sessions WHERE id = $1", [session.id])
        XCTAssertEqual(count, ["0"])
    }

    func testLoginRotatesTheSessionAndDeletesTheOneItReplaces() async throws {
        _ = try await ownerOfAcme()
        let first = try await sessions.login(
            email: "ada@example.com", password: IdentityFixtures.password, replacing: nil, request: request)
        let second = try await sessions.login(
            email: "ada@example.com", password: IdentityFixtures.password, replacing: first.token,
            request: request)
        XCTAssertNotEqual(first.id, second.id)
        XCTAssertNotEqual(first.token, second.token)
        XCTAssertNotEqual(first.csrfToken, second.csrfToken)
        let old = try await sessions.authenticate(token: first.token)
        let new = try await sessions.authenticate(token: second.token)
        XCTAssertNil(old, "the previous session id no longer works")
        XCTAssertNotNil(new)
    }

    func testTenantSwitchOnlyToTenantsTheUserBelongsTo() async throws {
        let (acme, user) = try await ownerOfAcme()
        let globex = try await harness.fixtures.tenant("globex", name: "Globex")
        let initech = try await harness.fixtures.tenant("initech", name: "Initech")
        try await harness.fixtures.grant(user, globex, .viewer)
        let session = try await harness.fixtures.session(for: user, in: acme)
        let switched = try await sessions.switchTenant(
            try await harness.fixtures.identity(of: session), to: globex.id, request: request)
        XCTAssertEqual(switched.tenantID, globex.id)
        XCTAssertEqual(switched.role, .viewer)
        let now = try await harness.fixtures.identity(of: session)
        XCTAssertEqual(now.tenant?.tenantID, globex.id)
        XCTAssertEqual(now.tenant?.role, .viewer)
        do {
            _ = try await sessions.switchTenant(now, to: initech.id, request: request)
            XCTFail("switching to a tenant the user is not in must fail")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
        }
        let still = try await harness.fixtures.identity(of: session)
        XCTAssertEqual(still.tenant?.tenantID, globex.id)
    }

    func testARemovedMembershipLeavesTheSessionWithoutTenantAccess() async throws {
        let (acme, user) = try await ownerOfAcme()
        let other = try await harness.fixtures.member("bob@example.com", of: acme, role: .admin)
        let session = try await harness.fixtures.session(for: other, in: acme)
        try await MemberService(environment: harness.environment).remove(
            userID: other.id, try await harness.fixtures.identity(user, in: acme), request: request)
        let identity = try await harness.fixtures.identity(of: session)
        XCTAssertNil(identity.tenant)
        XCTAssertThrowsError(try Authorization.require(.catalogRead, identity)) { error in
            XCTAssertEqual((error as? AppError)?.kind, .forbidden)
        }
    }
}
