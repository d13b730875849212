import Foundation
import HTTPServer
import JSON
import Patchbay
import PatchbayWeb
import TestSupport
import XCTest

/// Two tenants × every role (plus anonymous callers, a superuser and API tokens) × every route in the
/// router's table. The routes come from `router.routes`, so a route added later is covered without
/// touching this test: its expected status follows from the RBAC action in its metadata.
///
/// Path parameters are filled with the *other* tenant's objects (by parameter name: `user_id`,
/// `token_id`, `invite_id`, `key` (a private catalog entry), `id` (an installed connector),
/// `instance_id` (an attachment), `agent_id` (the agent it is attached to), `execution_id` (a recorded
/// run of it); an unknown invite `token`; any other name gets the other tenant's id), so an allowed
/// caller must get 404, never the object — except an agent's list, which is empty (agents are not
/// objects of a tenant). No
/// response body may contain the other tenant's ids, slug, name, emails, token names or private
/// catalog entry, except what the caller itself put in the request path (an echo is no leak).
final class CrossTenantMatrixTests: XCTestCase {
    private var app: TestApp!

    override func setUp() async throws {
        app = try await TestApp.start()
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    func testEveryRouteForEveryRoleOfBothTenants() async throws {
        try await ConnectorFixtures.seed(app.app.catalog, keys: ["openai"])
        let alpha = try await TenantWorld.build("alpha-marker", app: app)
        let bravo = try await TenantWorld.build("bravo-marker", app: app)
        let routes = app.app.makeRouter().routes
        XCTAssertGreaterThan(routes.count, 25, "the identity routes are registered")
        var checked = 0
        for route in routes {
            for (actor, target) in [(alpha, bravo), (bravo, alpha)] {
                let path = target.substitute(route.pattern)
                for caller in actor.callers(for: route) {
                    let credential = try await fresh(caller.credential)
                    let response = try await send(
                        route, path: path, credential: credential, otherTenantID: target.tenant.id)
                    let label = "\(caller.label) of \(actor.slug): \(route.method) \(route.pattern)"
                    assertStatus(response, route: route, caller: caller, label: label)
                    for marker in target.markers
                    where response.text.contains(marker) && !path.contains(marker) {
                        XCTFail("\(label) leaked \(target.slug)'s \(marker) (status \(response.status))")
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 300)
    }

    /// A new session per request: some routes (logout, tenant switch) change the one they get.
    private func fresh(_ credential: Caller.Credential) async throws -> Caller.Credential {
        guard case .session(let user, let tenant, _) = credential else { return credential }
        return .session(user, tenant, try await app.fixtures.session(for: user, in: tenant))
    }

    private func send(
        _ route: RouteDescription, path: String, credential: Caller.Credential, otherTenantID: UUID
    ) async throws -> TestResponse {
        var headers: [(String, String)] = [("Origin", "http://127.0.0.1:\(app.client.port)")]
        switch credential {
        case .anonymous: break
        case .session(_, _, let session?):
            headers.append(("Cookie", "pb_session=\(session.token)"))
            headers.append(("X-CSRF-Token", session.csrfToken))
        case .session: XCTFail("no session was made")
        case .bearer(let secret):
            headers.append(("Authorization", "Bearer \(secret)"))
        }
        var body: [UInt8] = []
        if route.method != .get && route.method != .head {
            if route.pattern.hasPrefix("/api/") {
                headers.append(("Content-Type", "application/json"))
                body = Array(#"{"role":"viewer","name":"matrix"}"#.utf8)
            } else {
                // Valid-looking input, so that allowed requests reach the object lookup.
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                let tenant = otherTenantID.uuidString.lowercased()
                body = Array("role=viewer&name=matrix&expires_in_days=1&tenant_id=\(tenant)".utf8)
            }
        }
        return try await app.client.send(route.method.rawValue, path, headers: headers, body: body)
    }

    private func assertStatus(
        _ response: TestResponse, route: RouteDescription, caller: Caller, label: String
    ) {
        XCTAssertLessThan(response.status, 500, label)
        guard let name = route.metadata["action"] else { return }  // public route
        guard let action = Action(rawValue: name) else {
            XCTFail("\(route.pattern) names an unknown action \(name)")
            return
        }
        let isAPI = route.pattern.hasPrefix("/api/")
        guard caller.credential.isSignedIn else {
            if isAPI {
                XCTAssertEqual(response.status, 401, label)
            } else {
                XCTAssertEqual(response.status, 303, label)
                XCTAssertTrue(response.header("Location")?.hasPrefix("/login") ?? false, label)
            }
            return
        }
        if caller.isAllowed(action) {
            if route.pattern.hasSuffix("/agents/{agent_id}/connectors") {
                // Agents live outside Patchbay: another tenant's agent simply has nothing attached here.
                XCTAssertEqual(response.status, 200, label)
                XCTAssertEqual(try? response.json()["items"], [], label)
            } else if route.pattern.contains("{") {
                XCTAssertEqual(response.status, 404, "\(label): the other tenant's object must not exist")
            } else {
                XCTAssertFalse([401, 403].contains(response.status), "\(label) got \(response.status)")
            }
        } else {
            XCTAssertEqual(response.status, 403, label)
        }
    }
}

/// One tenant with a member of every role, a superuser (a viewer here), API tokens of every role and
/// one bound to an agent, an invite, a connector attached to that agent, and the markers that must
/// never appear in another tenant's responses.
private struct TenantWorld {
    let slug: String
    let tenant: Tenant
    let users: [(Role, User)]
    let superuser: User
    let tokens: [(Role, NewAPIToken)]
    let inviteID: UUID
    let privateKey: String
    let privateName: String
    let connector: Connector
    let attachment: Attachment
    let agentToken: NewAPIToken
    let executionID: UUID
    static func build(_ slug: String, app: TestApp) async throws -> TenantWorld {
        let fixtures = app.fixtures
        let tenant = try await fixtures.tenant(slug, name: "\(slug.capitalized) Holdings")
        var users: [(Role, User)] = []
        var tokens: [(Role, NewAPIToken)] = []
        for role in Role.allCases {
            users.append(
                (role, try await fixtures.member("\(role.rawValue)@\(slug).test", of: tenant, role: role)))
            tokens.append(
                (role, try await fixtures.token(in: tenant, role: role, name: "\(slug)-\(role.rawValue)-bot"))
            )
        }
        let superuser = try await fixtures.member(
            "root@\(slug).test", of: tenant, role: .viewer, superuser: true)
        let owner = try await fixtures.identity(users.first { $0.0 == .owner }!.1, in: tenant)
        let invite = try await InviteService(environment: app.environment).create(
            role: .viewer, expiresInDays: nil, owner, request: .commandLine)
        // A tenant-private catalog entry, whose key must not resolve for any other tenant.
        let privateKey = "internal-" + UUID().uuidString.lowercased().prefix(8)
        let privateName = "\(slug.capitalized) Internal Ledger"
        let manifest = try JSON(
            parsing: String(contentsOfFile: ProjectRoot.path + "/Seeds/connectors/rest.json", encoding: .utf8)
        )
        _ = try await app.app.catalog.publishPrivate(
            tenantID: tenant.id,
            manifest: manifest.setting("key", to: privateKey).setting("name", to: privateName))
        // An installed connector, whose id must not resolve (and whose name must not show) elsewhere.
        let connector = try await app.app.connectors.install(
            ConnectorFixtures.openAI("\(slug.capitalized) Assistant"), owner, request: .commandLine)
        let attached = try await app.app.attachments.attach(
            connectorID: connector.id, AttachmentDraft(agentID: "\(slug)-agent", alias: "assistant"), owner,
            request: .commandLine)
        let agentToken = try await fixtures.token(
            in: tenant, role: .viewer, name: "\(slug)-agent-bot", agentID: "\(slug)-agent")
        // A recorded run of it, whose id must not resolve elsewhere either.
        let executionID = try await ExecutionStore(database: app.environment.database, tenantID: tenant.id)
            .start(
                connectorID: connector.id, input: ["input": ["marker": .string(slug)]],
                createdBy: ExecutionCreator(userID: nil, name: "matrix"))
        return TenantWorld(
            slug: slug, tenant: tenant, users: users, superuser: superuser, tokens: tokens,
            inviteID: invite.invite.id, privateKey: privateKey, privateName: privateName,
            connector: connector,
            attachment: attached.attachment, agentToken: agentToken, executionID: executionID)
    }

    /// Strings of this tenant that no other tenant's response may contain.
    var markers: [String] {
        var all = [
            slug, tenant.name, privateKey, privateName, tenant.id.uuidString.lowercased(),
            tenant.id.uuidString, inviteID.uuidString.lowercased(), connector.id.uuidString.lowercased(),
            connector.name, executionID.uuidString.lowercased(),
        ]
        for (_, user) in users + [(.viewer, superuser)] {
            all += [user.email, user.id.uuidString.lowercased()]
        }
        all.append(attachment.id.uuidString.lowercased())
        for (_, token) in tokens + [(.viewer, agentToken)] {
            all += [token.token.name, token.token.id.uuidString.lowercased(), token.token.displayPrefix]
        }
        return all
    }

    func substitute(_ pattern: String) -> String {
        let owner = users.first { $0.0 == .owner }!.1
        return pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
            switch segment.dropFirst().dropLast() {
            case "user_id": return owner.id.uuidString.lowercased()
            case "token_id": return tokens[0].1.token.id.uuidString.lowercased()
            case "invite_id": return inviteID.uuidString.lowercased()
            case "token": return "not-a-real-invite-token-0000000000000000000"
            case "key": return privateKey
            case "id": return connector.id.uuidString.lowercased()
            case "instance_id": return attachment.id.uuidString.lowercased()
            case "agent_id": return attachment.agentID
            case "execution_id": return executionID.uuidString.lowercased()
            default: return tenant.id.uuidString.lowercased()
            }
        }.joined(separator: "/")
    }

    /// Everyone who calls `route` from this tenant: anonymous, each role and the superuser through
    /// sessions, and each role's API token on API routes.
    func callers(for route: RouteDescription) -> [Caller] {
        var callers = [Caller(label: "anonymous", credential: .anonymous, role: nil, isSuperuser: false)]
        for (role, user) in users {
            callers.append(
                Caller(
                    label: role.rawValue, credential: .session(user, tenant, nil), role: role,
                    isSuperuser: false))
        }
        callers.append(
            Caller(
                label: "superuser", credential: .session(superuser, tenant, nil), role: .viewer,
                isSuperuser: true))
        if route.pattern.hasPrefix("/api/") {
            for (role, token) in tokens {
                callers.append(
                    Caller(
                        label: "\(role.rawValue) token", credential: .bearer(token.secret), role: role,
                        isSuperuser: false))
            }
            callers.append(
                Caller(
                    label: "agent token", credential: .bearer(agentToken.secret), role: .viewer,
                    isSuperuser: false, isAgent: true))
        }
        return callers
    }
}

private struct Caller {
    enum Credential {
        case anonymous
        /// A user working in a tenant; the session itself is made fresh for each request.
        case session(User, Tenant, NewSession?)
        case bearer(String)

        var isSignedIn: Bool {
            if case .anonymous = self { return false }
            return true
        }
    }

    let label: String
    let credential: Credential
    let role: Role?
    /// A superuser session (tokens never are).
    let isSuperuser: Bool
    /// An API token bound to an agent.
    var isAgent = false

    func isAllowed(_ action: Action) -> Bool {
        switch action.requirement {
        case .authenticated: true
        case .superuser: isSuperuser
        case .role(let minimum): isSuperuser || (role.map { $0 >= minimum } ?? false)
        case .roleOrAgent(let minimum): isAgent || isSuperuser || (role.map { $0 >= minimum } ?? false)
        }
    }
}
