import Foundation
import Patchbay
import Postgres
import TestSupport
import XCTest

final class APITokenServiceTests: XCTestCase {
    private var harness: TestEnvironment!
    private var tokens: APITokenService { APITokenService(environment: harness.environment) }
    private let request = RequestInfo(requestID: "req-t", ip: "10.0.0.2")
    private var acme: Tenant!
    private var admin: Identity!

    override func setUp() async throws {
        harness = try await TestEnvironment.start(
            identity: IdentitySettings(
                scrypt: IdentitySettings.testing.scrypt, tokenTouchInterval: .seconds(0)))
        acme = try await harness.fixtures.tenant("acme")
        let user = try await harness.fixtures.member("admin@acme.test", of: acme, role: .admin)
        admin = try await harness.fixtures.identity(user, in: acme)
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    func testTheSecretIsReturnedOnceAndOnlyItsHashIsStored() async throws {
        let created = try await tokens.create(
            name: "CI", role: .developer, expiresInDays: 30, by: admin, request: request)
        XCTAssertTrue(created.secret.hasPrefix("pb_"))
        XCTAssertEqual(created.secret.count, 3 + 43, "pb_ and 256 random bits")
        XCTAssertTrue(created.secret.hasPrefix(created.token.displayPrefix))
        let everything = try await harness.fixtures.column(
            "SELECT row_to_json(api_tokens)::text FROM api_tokens")
        XCTAssertEqual(everything.count, 1)
        XCTAssertFalse(everything[0]!.contains(created.secret), "no column holds the token")
        XCTAssertFalse(everything[0]!.contains(String(created.secret.dropFirst(3))))
        let hashes = try await harness.fixtures.column(
            "SELECT (token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex'))::text FROM api_tokens",
            [created.secret])
        XCTAssertEqual(hashes, ["true"])
        let listed = try await tokens.list(admin)
        XCTAssertEqual(listed.map(\.name), ["CI"])
        let audit = try await harness.fixtures.column(
            "SELECT details::text FROM audit_events WHERE action = 'token.created'")
        XCTAssertEqual(audit.count, 1)
        XCTAssertFalse(audit[0]!.contains(created.secret))
    }

    func testATokenAuthenticatesAsItsTenantAndRoleAndRecordsItsUse() async throws {
        let created = try await tokens.create(
            name: "bot", role: .viewer, expiresInDays: nil, by: admin, request: request)
        let unused = try await harness.fixtures.column("SELECT last_used_at::text FROM api_tokens")
        XCTAssertEqual(unused, [nil])
        let identity = try await tokens.authenticate(secret: created.secret)
        XCTAssertEqual(identity?.tenant?.tenantID, acme.id)
        XCTAssertEqual(identity?.tenant?.role, .viewer)
        XCTAssertEqual(identity?.tokenID, created.token.id)
        XCTAssertEqual(identity?.isSuperuser, false)
        XCTAssertEqual(identity?.userID, admin.userID, "the creator, for the audit trail")
        let used = try await harness.fixtures.column(
            "SELECT (last_used_at > now() - interval '1 minute')::text FROM api_tokens")
        XCTAssertEqual(used, ["true"])
        let unknown = try await tokens.authenticate(secret: "pb_" + String(repeating: "A", count: 43))
        XCTAssertNil(unknown)
    }

    func testARoleHigherThanTheCreatorsIsRefused() async throws {
        do {
            _ = try await tokens.create(
                name: "too strong", role: .owner, expiresInDays: nil, by: admin, request: request)
            XCTFail("an admin cannot mint an owner token")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
            XCTAssertNotNil(error.fields["role"])
        }
        let made = try await tokens.create(
            name: "equal", role: .admin, expiresInDays: nil, by: admin, request: request)
        XCTAssertEqual(made.token.role, .admin)
        // A token with tokens.manage is bounded by its own role too.
        let tokenIdentity = try await tokens.authenticate(secret: made.secret)
        do {
            _ = try await tokens.create(
                name: "escalate", role: .owner, expiresInDays: nil, by: tokenIdentity, request: request)
            XCTFail("an admin token cannot mint an owner token")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
        }
    }

    func testDevelopersCannotManageTokens() async throws {
        let user = try await harness.fixtures.member("dev@acme.test", of: acme, role: .developer)
        let developer = try await harness.fixtures.identity(user, in: acme)
        do {
            _ = try await tokens.create(
                name: "x", role: .viewer, expiresInDays: nil, by: developer, request: request)
            XCTFail("developers may not create tokens")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
        do {
            _ = try await tokens.list(nil)
            XCTFail("anonymous callers may not list tokens")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .unauthorized)
        }
    }

    func testExpiredAndRevokedTokensStopWorking() async throws {
        let expiring = try await tokens.create(
            name: "short", role: .viewer, expiresInDays: 1, by: admin, request: request)
        let revoked = try await tokens.create(
            name: "gone", role: .viewer, expiresInDays: nil, by: admin, request: request)
        let stillValid = try await tokens.authenticate(secret: expiring.secret)
        XCTAssertNotNil(stillValid)
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1",
                [expiring.token.id])
        }
        // Serving nodes hear of the edit from the database trigger; no node listens here.
        harness.environment.identityCache.invalidateAll()
        let expired = try await tokens.authenticate(secret: expiring.secret)
        XCTAssertNil(expired)
        let listed = try await tokens.revoke(id: revoked.token.id, admin, request: request)
        XCTAssertEqual(listed.status(), "revoked")
        let afterRevoke = try await tokens.authenticate(secret: revoked.secret)
        XCTAssertNil(afterRevoke)
        let statuses = try await tokens.list(admin).map { $0.status() }.sorted()
        XCTAssertEqual(statuses, ["expired", "revoked"])
        let audit = try await harness.fixtures.column(
            "SELECT action FROM audit_events WHERE action = 'token.revoked'")
        XCTAssertEqual(audit.count, 1)
    }

    func testAnotherTenantsTokenCannotBeRevokedOrListed() async throws {
        let globex = try await harness.fixtures.tenant("globex")
        let theirs = try await harness.fixtures.token(in: globex, role: .viewer, name: "globex bot")
        do {
            _ = try await tokens.revoke(id: theirs.token.id, admin, request: request)
            XCTFail("another tenant's token must look absent")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
        }
        let stillWorks = try await tokens.authenticate(secret: theirs.secret)
        XCTAssertNotNil(stillWorks)
        let listed = try await tokens.list(admin)
        XCTAssertFalse(listed.contains { $0.id == theirs.token.id })
    }
}
