import Foundation
import JSON
import Patchbay
import Postgres
import TestSupport
import XCTest

final class ProfileAndAuditTests: XCTestCase {
    private var harness: TestEnvironment!
    private let request = RequestInfo(requestID: "req-p", ip: "10.0.0.4")

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    func testPasswordChangeNeedsTheCurrentPasswordAndEndsOtherSessions() async throws {
        let tenant = try await harness.fixtures.tenant("acme")
        let user = try await harness.fixtures.member("ada@acme.test", of: tenant, role: .viewer)
        let current = try await harness.fixtures.session(for: user, in: tenant)
        let other = try await harness.fixtures.session(for: user, in: tenant)
        let identity = try await harness.fixtures.identity(of: current)
        let profile = ProfileService(environment: harness.environment)
        do {
            try await profile.changePassword(
                current: "not it at all", new: "brand new password", identity, request: request)
            XCTFail("a wrong current password must be refused")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
            XCTAssertNotNil(error.fields["current_password"])
        }
        do {
            try await profile.changePassword(
                current: IdentityFixtures.password, new: "short", identity, request: request)
            XCTFail("a short password must be refused")
        } catch let error as AppError {
            XCTAssertNotNil(error.fields["new_password"])
        }
        let ended = try await profile.changePassword(
            current: IdentityFixtures.password, new: "brand new password", identity, request: request)
        XCTAssertEqual(ended, 1)
        let sessions = SessionService(environment: harness.environment)
        let stillHere = try await sessions.authenticate(token: current.token)
        let signedOut = try await sessions.authenticate(token: other.token)
        XCTAssertNotNil(stillHere)
        XCTAssertNil(signedOut)
        _ = try await sessions.login(
            email: "ada@acme.test", password: "brand new password", replacing: nil, request: request)
        let audit = try await harness.fixtures.column(
            "SELECT details::text FROM audit_events WHERE action = 'user.password_changed'")
        XCTAssertEqual(audit.count, 1)
        XCTAssertFalse(audit[0]!.contains("brand new"))
    }

    func testAuditPagesAreNewestFirstWithACursorAndOnlyForAdmins() async throws {
        let tenant = try await harness.fixtures.tenant("acme")
        let admin = try await harness.fixtures.identity(
            try await harness.fixtures.member("admin@acme.test", of: tenant, role: .admin), in: tenant)
        let developer = try await harness.fixtures.identity(
            try await harness.fixtures.member("dev@acme.test", of: tenant, role: .developer), in: tenant)
        let tokens = APITokenService(environment: harness.environment)
        for index in 1...5 {
            _ = try await tokens.create(
                name: "t\(index)", role: .viewer, expiresInDays: nil, by: admin, request: request)
        }
        let audit = AuditService(environment: harness.environment)
        let first = try await audit.page(limit: 3, admin)
        XCTAssertEqual(first.events.count, 3)
        XCTAssertEqual(first.events.map { $0.details["name"]?.string }, ["t5", "t4", "t3"])
        let cursor = try XCTUnwrap(first.nextCursor)
        let second = try await audit.page(limit: 3, before: cursor, admin)
        XCTAssertEqual(second.events.prefix(2).map { $0.details["name"]?.string }, ["t2", "t1"])
        XCTAssertTrue(second.events.allSatisfy { $0.id < cursor })
        do {
            _ = try await audit.page(developer)
            XCTFail("developers may not read the audit log")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
    }

    func testAuditDetailsAreRedactedWhateverTheCallerPasses() async throws {
        let tenant = try await harness.fixtures.tenant("acme")
        _ = try await harness.environment.database.tenant(tenant.id) { connection in
            try await AuditLog.record(
                AuditEntry(
                    tenantID: tenant.id, actor: .commandLine, action: "test.redaction",
                    details: [
                        "name": "visible", "password": "hunter2", "api_key": "k-123",
                        "nested": ["Authorization": "Bearer pb_x", "list": [["client_secret": "s"]]],
                    ]),
                request: request, on: connection)
        }
        let stored = try await harness.fixtures.column(
            "SELECT details::text FROM audit_events WHERE action = 'test.redaction'")
        let text = try XCTUnwrap(stored.first ?? nil)
        XCTAssertTrue(text.contains("visible"))
        for secret in ["hunter2", "k-123", "pb_x", "\"s\""] {
            XCTAssertFalse(text.contains(secret), "\(secret) leaked into \(text)")
        }
        XCTAssertTrue(text.contains("[redacted]"))
    }
}
