import Foundation
import Patchbay
import Postgres
import TestSupport
import XCTest

final class MemberServiceTests: XCTestCase {
    private var harness: TestEnvironment!
    private var members: MemberService { MemberService(environment: harness.environment) }
    private var invites: InviteService { InviteService(environment: harness.environment) }
    private let request = RequestInfo(requestID: "req-m", ip: "10.0.0.3")
    private var acme: Tenant!
    private var ownerUser: User!
    private var owner: Identity!

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
        acme = try await harness.fixtures.tenant("acme", name: "Acme")
        ownerUser = try await harness.fixtures.member("owner@acme.test", of: acme, role: .owner)
        owner = try await harness.fixtures.identity(ownerUser, in: acme)
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    private func expect(_ kind: AppError.Kind, _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("expected \(kind)")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, kind, error.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testTheLastOwnerCanBeNeitherDemotedNorRemoved() async throws {
        await expect(.conflict) {
            _ = try await self.members.changeRole(
                userID: self.ownerUser.id, to: .admin, self.owner, request: self.request)
        }
        await expect(.conflict) {
            try await self.members.remove(userID: self.ownerUser.id, self.owner, request: self.request)
        }
        let second = try await harness.fixtures.member("second@acme.test", of: acme, role: .admin)
        _ = try await members.changeRole(userID: second.id, to: .owner, owner, request: request)
        // With two owners, one may step down.
        let demoted = try await members.changeRole(userID: ownerUser.id, to: .admin, owner, request: request)
        XCTAssertEqual(demoted.role, .admin)
        let secondOwner = try await harness.fixtures.identity(second, in: acme)
        await expect(.conflict) {
            try await self.members.remove(userID: second.id, secondOwner, request: self.request)
        }
        let roles = try await members.list(secondOwner).map { "\($0.email)=\($0.role.rawValue)" }
        XCTAssertEqual(roles, ["owner@acme.test=admin", "second@acme.test=owner"])
    }

    func testOwnersAddExistingAccountsAndChangesAreAudited() async throws {
        let bob = try await harness.fixtures.user("bob@elsewhere.test")
        let added = try await members.add(
            email: "BOB@elsewhere.test", role: .developer, owner, request: request)
        XCTAssertEqual(added.userID, bob.id)
        XCTAssertEqual(added.role, .developer)
        await expect(.conflict) {
            _ = try await self.members.add(
                email: "bob@elsewhere.test", role: .viewer, self.owner, request: self.request)
        }
        await expect(.validation) {
            _ = try await self.members.add(
                email: "ghost@nowhere.test", role: .viewer, self.owner, request: self.request)
        }
        try await members.remove(userID: bob.id, owner, request: request)
        let actions = try await harness.fixtures.column(
            "SELECT action FROM audit_events WHERE request_id = 'req-m' ORDER BY id")
        XCTAssertEqual(actions, ["member.added", "member.removed"])
        let actors = try await harness.fixtures.column(
            "SELECT DISTINCT actor_user_id::text FROM audit_events WHERE request_id = 'req-m'")
        XCTAssertEqual(actors, [ownerUser.id.uuidString.lowercased()])
    }

    func testOnlyOwnersManageMembersAndOtherTenantsMembersLookAbsent() async throws {
        let adminUser = try await harness.fixtures.member("admin@acme.test", of: acme, role: .admin)
        let admin = try await harness.fixtures.identity(adminUser, in: acme)
        let listed = try await members.list(admin)
        XCTAssertEqual(listed.count, 2)
        await expect(.forbidden) {
            _ = try await self.members.changeRole(
                userID: adminUser.id, to: .owner, admin, request: self.request)
        }
        await expect(.forbidden) {
            _ = try await self.invites.create(role: .viewer, expiresInDays: nil, admin, request: self.request)
        }
        let globex = try await harness.fixtures.tenant("globex")
        let stranger = try await harness.fixtures.member("ceo@globex.test", of: globex, role: .owner)
        await expect(.notFound) {
            _ = try await self.members.changeRole(
                userID: stranger.id, to: .viewer, self.owner, request: self.request)
        }
        await expect(.notFound) {
            try await self.members.remove(userID: stranger.id, self.owner, request: self.request)
        }
        let strangerRole = try await harness.fixtures.column(
            "SELECT role FROM memberships WHERE user_id = $1", [stranger.id])
        XCTAssertEqual(strangerRole, ["owner"], "untouched")
    }

    func testInviteLinksAreSingleUseAndExpire() async throws {
        let invite = try await invites.create(role: .developer, expiresInDays: 3, owner, request: request)
        XCTAssertEqual(invite.invite.role, .developer)
        let stored = try await harness.fixtures.column("SELECT row_to_json(invites)::text FROM invites")
        XCTAssertFalse(stored[0]!.contains(invite.token), "only the hash is stored")
        let newcomer = try await harness.fixtures.user("new@person.test")
        let newcomerIdentity = try await harness.fixtures.identity(newcomer, in: nil)
        let preview = try await invites.preview(token: invite.token, newcomerIdentity)
        XCTAssertEqual(preview.tenantName, "Acme")
        let joined = try await invites.accept(token: invite.token, newcomerIdentity, request: request)
        XCTAssertEqual(joined.tenantID, acme.id)
        XCTAssertEqual(joined.role, .developer)
        let nowIn = try await SessionService(environment: harness.environment).authenticate(
            token: try await harness.fixtures.session(for: newcomer, in: acme).token)
        XCTAssertEqual(nowIn?.tenant?.role, .developer)

        let someoneElse = try await harness.fixtures.identity(
            try await harness.fixtures.user("late@person.test"), in: nil)
        await expect(.notFound) {
            _ = try await self.invites.accept(token: invite.token, someoneElse, request: self.request)
        }

        let expiring = try await invites.create(role: .viewer, expiresInDays: 1, owner, request: request)
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1",
                [expiring.invite.id])
        }
        await expect(.notFound) {
            _ = try await self.invites.accept(token: expiring.token, someoneElse, request: self.request)
        }
        let revoked = try await invites.create(role: .viewer, expiresInDays: nil, owner, request: request)
        try await invites.revoke(id: revoked.invite.id, owner, request: request)
        await expect(.notFound) { _ = try await self.invites.preview(token: revoked.token, someoneElse) }
        let pending = try await invites.listPending(owner)
        XCTAssertTrue(pending.isEmpty)
    }

    func testAcceptingAnInviteForAWorkspaceYouAreInLeavesItUnused() async throws {
        let invite = try await invites.create(role: .viewer, expiresInDays: nil, owner, request: request)
        await expect(.conflict) {
            _ = try await self.invites.accept(token: invite.token, self.owner, request: self.request)
        }
        let pending = try await invites.listPending(owner)
        XCTAssertEqual(pending.map(\.id), [invite.invite.id])
        let role = try await harness.fixtures.column(
            "SELECT role FROM memberships WHERE user_id = $1", [ownerUser.id])
        XCTAssertEqual(role, ["owner"], "not downgraded by the invite")
    }
}
