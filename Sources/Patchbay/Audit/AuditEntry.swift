import Foundation
import JSON

/// Who did something: a signed-in user, an API token, or the command line.
public struct AuditActor: Sendable {
    public var userID: UUID?
    public var tokenID: UUID?
    public var label: String

    public init(userID: UUID?, tokenID: UUID? = nil, label: String) {
        self.userID = userID
        self.tokenID = tokenID
        self.label = label
    }

    /// The caller of a request.
    public init(_ identity: Identity) {
        self.init(userID: identity.userID, tokenID: identity.tokenID, label: identity.auditLabel)
    }

    /// An operator at the command line.
    public static let commandLine = AuditActor(userID: nil, label: "command line")
}

/// One change to record. Details are redacted when recorded: keys that name secrets never reach the
/// table, whatever a caller passes.
public struct AuditEntry: Sendable {
    public var tenantID: UUID?
    public var actor: AuditActor
    /// Dotted verb, e.g. `token.created`, `member.role_changed`.
    public var action: String
    public var targetType: String
    public var targetID: String
    public var details: JSONObject

    public init(
        tenantID: UUID?, actor: AuditActor, action: String, targetType: String = "", targetID: String = "",
        details: JSONObject = [:]
    ) {
        self.tenantID = tenantID
        self.actor = actor
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.details = details
    }
}

/// A recorded event, as the audit pages and API show it.
public struct AuditEvent: Sendable {
    public var id: Int64
    public var actorLabel: String
    public var actorUserID: UUID?
    public var action: String
    public var targetType: String
    public var targetID: String
    public var requestID: String
    public var ip: String
    public var details: JSON
    public var createdAt: Date
}

/// One page of events, newest first; `nextCursor` is the `before` value of the next page.
public struct AuditPage: Sendable {
    public var events: [AuditEvent]
    public var nextCursor: Int64?
}
