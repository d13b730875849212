import Foundation
import JSON
import Postgres

/// A test of a saved connector: what it found, and the connector as it stands afterwards.
public struct ConnectorTestOutcome: Sendable {
    public var result: ConnectionTestResult
    public var connector: Connector
    /// False for tests that say nothing about the connector (`unsupported`, `cancelled`): those are
    /// neither stored nor counted.
    public var isRecorded: Bool
}

extension ConnectorService {
    /// Tests a saved connector against its service with its stored settings and credentials, then
    /// stores the result (`last_tested_at`, `last_test_result`, ...) with an audit event. A failure
    /// puts the connector in `error` with the classified message; people move it back.
    ///
    /// No database connection is held while the probe runs: the connector is read in one
    /// transaction and the result written in another, which fails with 404 if the connector was
    /// deleted meanwhile. `timeout` overrides the catalog's (at most 60 s).
    public func test(id: UUID, timeout: Duration? = nil, _ identity: Identity?, request: RequestInfo)
        async throws -> ConnectorTestOutcome
    {
        let caller = try Authorization.tenant(for: .connectorTest, identity)
        let target = try await testTarget(id, tenantID: caller.tenantID)
        let result = await environment.outbound.tester.test(
            manifest: target.type.manifest, config: .object(target.connector.config),
            auth: .object(target.auth), timeout: timeout)
        guard Self.isRecordable(result) else {
            return ConnectorTestOutcome(result: result, connector: target.connector, isRecorded: false)
        }
        let connector = try await recordTest(
            result, connectorID: id, tenantID: caller.tenantID,
            by: .person(caller.actor, request))
        guard let connector else { throw AppError.notFound("The connector") }
        return ConnectorTestOutcome(result: result, connector: connector, isRecorded: true)
    }

    /// A saved connector with its version and opened credentials, ready to test.
    struct TestTarget {
        var connector: Connector
        var type: ConnectorType
        var auth: JSONObject
    }

    func testTarget(_ id: UUID, tenantID: UUID) async throws -> TestTarget {
        let stored = try await database.tenant(tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(id, tenantID: tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        let type = try await types.version(stored.connector.catalog.versionID, tenantID: tenantID)
        let auth = try await vault.open(stored.sealedAuth, tenantID: tenantID, connectorID: id)
        return TestTarget(connector: ordered(stored.connector, type), type: type, auth: auth)
    }

    /// Unsupported and cancelled tests say nothing about the connector itself.
    static func isRecordable(_ result: ConnectionTestResult) -> Bool {
        result.errorKind != .unsupported && result.errorKind != .cancelled
    }
}
