import Foundation
import JSON

/// An installed connector as callers see it: never its secret values, only what is known about them.
public struct Connector: Sendable {
    public var id: UUID
    public var tenantID: UUID
    public var catalog: CatalogReference
    public var name: String
    public var status: ConnectorStatus
    /// Why the connector is in `error` ("" otherwise).
    public var statusMessage: String
    public var config: JSONObject
    public var tags: [String]
    /// One entry per stored auth field, in the order the schema declares them.
    public var authFields: [AuthFieldState]
    public var lastTest: ConnectorTestResult?
    /// Scheduled health checks: off unless the connector asked for them.
    public var healthCheck = HealthCheckState.off
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
    public var updatedBy: String
    /// Increases with every change; updates that carry an older value are refused (409).
    public var rowVersion: Int

    /// The stored state of the auth field `name`, if it is set.
    public func authField(_ name: String) -> AuthFieldState? {
        authFields.first { $0.name == name }
    }
}

/// The catalog entry and version an installed connector was made with, and the newest version.
public struct CatalogReference: Sendable {
    public var id: UUID
    public var key: String
    public var name: String
    public var icon: String
    public var category: String
    /// The pinned version: the connector is validated and run against it.
    public var versionID: UUID
    public var version: String
    public var capabilities: [String]
    public var latestVersionID: UUID?
    public var latestVersion: String

    /// A newer version than the pinned one is published.
    public var upgradeAvailable: Bool {
        guard let latestVersionID, latestVersionID != versionID,
            let latest = SemanticVersion(latestVersion), let pinned = SemanticVersion(version)
        else { return false }
        return latest > pinned
    }
}

/// What is known about one stored auth field. Secret fields show only that they are set, when and by
/// whom, and a keyed fingerprint that tells values apart without revealing them.
public struct AuthFieldState: Sendable, Equatable {
    public var name: String
    /// Marked `writeOnly`/`x-secret` (or a password) by the schema: its value never leaves the vault.
    public var isSecret: Bool
    public var fingerprint: String
    public var updatedAt: Date
    public var updatedBy: String
    /// The value of a non-secret field (an auth method, a client id); nil for secrets.
    public var value: JSON?

    public init(
        name: String, isSecret: Bool, fingerprint: String, updatedAt: Date, updatedBy: String, value: JSON?
    ) {
        self.name = name
        self.isSecret = isSecret
        self.fingerprint = fingerprint
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.value = isSecret ? nil : value
    }
}

/// The outcome of the latest connection test.
public struct ConnectorTestResult: Sendable {
    public var testedAt: Date
    public var succeeded: Bool
    public var latencyMilliseconds: Int?
    public var error: String?
}

/// An active connector that can publish content, for publishers choosing where to post.
public struct PublishTarget: Sendable {
    public var id: UUID
    public var name: String
    public var catalogKey: String
    public var capabilities: [String]
}
