/// What a caller needs to perform an action.
public enum Requirement: Sendable, Equatable, CustomStringConvertible {
    /// Any signed-in user, with or without a tenant (their own profile, accepting an invite).
    case authenticated
    /// A member of the current tenant with at least this role.
    case role(Role)
    /// A platform superuser (signed in with a session, never an API token).
    case superuser
    /// A member with at least this role, or an API token bound to an agent; the service then confines
    /// the agent's token to the objects attached to its agent.
    case roleOrAgent(Role)

    public var description: String {
        switch self {
        case .authenticated: "authenticated"
        case .role(let role): role.rawValue
        case .superuser: "superuser"
        case .roleOrAgent(let role): "\(role.rawValue) or agent token"
        }
    }
}

/// Every action a service checks, and the one table of who may perform it.
///
/// Services call `Authorization.require(_:_:)` with one of these before touching data; pages may
/// hide buttons with `Identity.can(_:)`, but the service is what refuses. Routes name their action
/// in their metadata (`"action": action.rawValue`), which the route-table tests and the OpenAPI
/// document read.
public enum Action: String, Sendable, CaseIterable {
    // Reading, for every member.
    case catalogRead = "catalog.read"
    case installedRead = "installed.read"
    case executionsRead = "executions.read"
    case attachmentsRead = "attachments.read"
    case publishRead = "publish.read"
    case membersRead = "members.read"

    // Using connectors.
    case connectorValidate = "connector.validate"
    case connectorTest = "connector.test"
    case connectorExecute = "connector.execute"
    case connectorAttach = "connector.attach"
    /// Read-only queries on a database connector (also by an agent's token, on its attachments).
    case connectorQuery = "connector.query"

    // Changing what the tenant runs.
    case connectorInstall = "connector.install"
    case connectorUpdate = "connector.update"
    case connectorDelete = "connector.delete"
    case connectorActivate = "connector.activate"
    case publishManage = "publish.manage"
    /// Publishing a tenant-private catalog entry.
    case catalogPublish = "catalog.publish"
    case tokensManage = "tokens.manage"
    case auditRead = "audit.read"

    // Governing the tenant.
    case membersManage = "members.manage"

    // The platform.
    case catalogSync = "catalog.sync"

    // The caller's own things.
    case meRead = "me.read"
    case profileManage = "profile.manage"
    case sessionManage = "session.manage"
    case inviteAccept = "invite.accept"

    /// The minimum needed, from the product's RBAC table.
    public var requirement: Requirement {
        switch self {
        case .catalogRead, .installedRead, .executionsRead, .attachmentsRead, .publishRead, .membersRead:
            .role(.viewer)
        case .connectorValidate, .connectorTest, .connectorExecute, .connectorAttach:
            .role(.developer)
        case .connectorInstall, .connectorUpdate, .connectorDelete, .connectorActivate, .publishManage,
            .catalogPublish, .tokensManage, .auditRead:
            .role(.admin)
        case .membersManage:
            .role(.owner)
        case .catalogSync:
            .superuser
        case .meRead, .profileManage, .sessionManage, .inviteAccept:
            .authenticated
        case .connectorQuery:
            .roleOrAgent(.developer)
        }
    }
}
