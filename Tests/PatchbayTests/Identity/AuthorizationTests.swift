import Foundation
import Patchbay
import XCTest

final class AuthorizationTests: XCTestCase {
    private func identity(_ role: Role?, superuser: Bool = false, token: Bool = false) -> Identity {
        Identity(
            userID: UUID(), email: "x@example.com", name: "X",
            tenant: role.map { TenantMembership(tenantID: UUID(), slug: "t", name: "T", role: $0) },
            isSuperuser: superuser,
            method: token ? .token(id: UUID(), name: "bot") : .session(id: UUID(), csrfToken: "c"))
    }

    private func kind(_ action: Action, _ identity: Identity?) -> AppError.Kind? {
        do {
            try Authorization.require(action, identity)
            return nil
        } catch {
            return (error as? AppError)?.kind
        }
    }

    func testRolesAreOrdered() {
        XCTAssertEqual(Role.allCases.sorted(), [.viewer, .developer, .admin, .owner])
        XCTAssertEqual(Role.descending, [.owner, .admin, .developer, .viewer])
        XCTAssertEqual(Role(parsing: "Admin"), .admin)
        XCTAssertNil(Role(parsing: "root"))
    }

    func testTheProductsRBACTable() {
        let expected: [Action: Requirement] = [
            .catalogRead: .role(.viewer), .installedRead: .role(.viewer), .membersRead: .role(.viewer),
            .connectorTest: .role(.developer), .connectorExecute: .role(.developer),
            .connectorAttach: .role(.developer), .connectorQuery: .roleOrAgent(.developer),
            .connectorInstall: .role(.admin), .connectorUpdate: .role(.admin),
            .connectorDelete: .role(.admin),
            .connectorActivate: .role(.admin), .tokensManage: .role(.admin), .auditRead: .role(.admin),
            .membersManage: .role(.owner), .catalogSync: .superuser, .profileManage: .authenticated,
        ]
        for (action, requirement) in expected {
            XCTAssertEqual(action.requirement, requirement, action.rawValue)
        }
    }

    func testEveryActionAgainstEveryRole() {
        for action in Action.allCases {
            XCTAssertEqual(kind(action, nil), .unauthorized, "anonymous \(action.rawValue)")
            for role in Role.allCases {
                let result = kind(action, identity(role))
                switch action.requirement {
                case .authenticated: XCTAssertNil(result)
                case .superuser: XCTAssertEqual(result, .forbidden)
                case .role(let minimum), .roleOrAgent(let minimum):
                    XCTAssertEqual(result, role >= minimum ? nil : .forbidden, "\(role) \(action.rawValue)")
                }
            }
        }
    }

    /// An agent's token is a viewer token that may also query (its agent's attachments, which the
    /// query service checks); nothing else beyond reading.
    func testAgentTokensReadAndQueryOnly() {
        var agent = identity(.viewer, token: true)
        agent.agentID = "support-bot"
        for action in Action.allCases {
            let result = kind(action, agent)
            switch action.requirement {
            case .authenticated: XCTAssertNil(result, action.rawValue)
            case .superuser: XCTAssertEqual(result, .forbidden, action.rawValue)
            case .roleOrAgent: XCTAssertNil(result, action.rawValue)
            case .role(let minimum):
                XCTAssertEqual(result, minimum == .viewer ? nil : .forbidden, action.rawValue)
            }
        }
        XCTAssertTrue(agent.can(.connectorQuery))
        XCTAssertFalse(identity(.viewer, token: true).can(.connectorQuery), "a viewer token without an agent")
        var loner = identity(nil, token: true)
        loner.agentID = "support-bot"
        XCTAssertEqual(kind(.connectorQuery, loner), .forbidden, "an agent token outside any tenant")
    }

    func testSuperusersPassRoleChecksButTokensNeverCountAsSuperusers() {
        XCTAssertNil(kind(.catalogSync, identity(.viewer, superuser: true)))
        XCTAssertNil(kind(.membersManage, identity(.viewer, superuser: true)))
        XCTAssertEqual(kind(.catalogSync, identity(.owner, token: true)), .forbidden)
    }

    func testWithoutATenantOnlyAccountActionsAreAllowed() {
        let loner = identity(nil)
        XCTAssertEqual(kind(.catalogRead, loner), .forbidden)
        XCTAssertNil(kind(.inviteAccept, loner))
        XCTAssertNil(kind(.profileManage, loner))
        XCTAssertThrowsError(try Authorization.tenant(for: .membersRead, loner))
    }

    func testTokensCannotActAsAPerson() {
        XCTAssertThrowsError(try identity(.owner, token: true).sessionUser()) { error in
            XCTAssertEqual((error as? AppError)?.kind, .forbidden)
        }
        XCTAssertNoThrow(try identity(.viewer).sessionUser())
    }
}
