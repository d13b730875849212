import Foundation
import JSON
import Logging
import Postgres
import Secrets
import TestSupport
import XCTest

@testable import Patchbay

/// Master key and tenant data key rotation over 1,000 connectors, with edits going on meanwhile.
final class KeyRotationTests: XCTestCase {
    private var harness: TestEnvironment!

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    private func environment(_ keys: MasterKeySet) throws -> AppEnvironment {
        try AppEnvironment(
            pool: harness.database.pool, paths: harness.environment.paths, logger: Logger(label: "test.keys"),
            masterKeys: keys, identity: .testing)
    }

    func testRotatingMasterAndTenantKeysKeepsEverySecret() async throws {
        let catalog = try await ConnectorFixtures.catalog(harness.environment, keys: ["openai"])
        let acme = try await harness.fixtures.tenant("acme")
        _ = try await harness.fixtures.tenant("globex")
        let owner = try await harness.fixtures.identity(
            try await harness.fixtures.member("owner@acme.test", of: acme, role: .owner), in: acme)
        let service = ConnectorService(environment: harness.environment, catalog: catalog)
        let count = 1000
        var secrets: [UUID: String] = [:]
        try await withThrowingTaskGroup(of: [(UUID, String)].self) { group in
            for lane in 0..<4 {
                group.addTask {
                    var made: [(UUID, String)] = []
                    for index in stride(from: lane, to: count, by: 4) {
                        let secret = "sk-rotation\(index)x" + String(repeating: "k", count: 20)
                        let connector = try await service.install(
                            ConnectorFixtures.openAI("AI \(index)", secret: secret), owner,
                            request: .commandLine)
                        made.append((connector.id, secret))
                    }
                    return made
                }
            }
            for try await made in group { for (id, secret) in made { secrets[id] = secret } }
        }
        XCTAssertEqual(secrets.count, count)
        let fingerprintsBefore = try await fingerprints(acme.id)

        // Master key: the new key is current, the old one previous; afterwards the new key alone opens all.
        let oldKeys = harness.environment.tenantKeys.masterKeys
        let newKey = try MasterKey.generate()
        let rotating = try environment(MasterKeySet(current: newKey, previous: [oldKeys.current]))
        let master = try await KeyRotationService(environment: rotating).rotateMaster(batchSize: 1)
        XCTAssertEqual(master.tenantKeys, 2, "one data key per tenant, each rewrapped")
        XCTAssertEqual(master.installationSecrets, 1, "the fingerprint key too")
        let wrappedBy = try await harness.fixtures.column("SELECT DISTINCT master_key_id FROM tenant_keys")
        XCTAssertEqual(wrappedBy, [newKey.id])
        let afterMaster = try environment(MasterKeySet(current: newKey))
        try await assertSecrets(secrets, tenantID: acme.id, environment: afterMaster, keyVersion: 1)

        // Tenant key: a new data key, every row re-encrypted in batches while edits keep happening.
        let edited = Array(secrets.keys.prefix(40))
        let editor = ConnectorService(environment: afterMaster, catalog: catalog)
        async let rotation = KeyRotationService(environment: afterMaster).rotateTenant(
            slug: "acme", batchSize: 64)
        for (index, id) in edited.enumerated() {
            let secret = "sk-edited\(index)x" + String(repeating: "e", count: 20)
            _ = try await editor.update(
                id: id, ConnectorChanges(auth: ["api_key": .set(.string(secret))]), owner,
                request: .commandLine)
            secrets[id] = secret
        }
        let report = try await rotation
        XCTAssertEqual(report.version, 2)
        XCTAssertGreaterThanOrEqual(report.reencrypted, count - edited.count, "no row skipped")
        let versions = try await harness.fixtures.column(
            "SELECT auth_key_version || ':' || count(*) FROM connectors WHERE tenant_id = $1 GROUP BY auth_key_version",
            [acme.id])
        XCTAssertEqual(versions, ["2:\(count)"])
        try await assertSecrets(
            secrets, tenantID: acme.id, environment: try environment(MasterKeySet(current: newKey)),
            keyVersion: 2)

        let fingerprintsAfter = try await fingerprints(acme.id)
        for (id, fingerprint) in fingerprintsBefore where !edited.contains(id) {
            XCTAssertEqual(fingerprintsAfter[id], fingerprint, "fingerprints do not depend on the data key")
        }
        let audit = try await harness.fixtures.column(
            "SELECT action FROM audit_events WHERE action LIKE 'keys.%' ORDER BY id")
        XCTAssertEqual(audit, ["keys.master_rotated", "keys.tenant_rotated"])
    }

    private func fingerprints(_ tenantID: UUID) async throws -> [UUID: String] {
        let rows = try await harness.environment.database.system(readOnly: true) { connection in
            try await connection.query(
                "SELECT id, auth_fields -> 'api_key' ->> 'fingerprint' AS fingerprint FROM connectors WHERE tenant_id = $1",
                [tenantID])
        }
        var result: [UUID: String] = [:]
        for row in rows { result[try row.decode("id")] = try row.decode("fingerprint") }
        return result
    }

    /// Opens every row with a fresh key cache over `environment` and compares with what was stored;
    /// the stored fingerprint must match the opened value.
    private func assertSecrets(
        _ expected: [UUID: String], tenantID: UUID, environment: AppEnvironment, keyVersion: Int
    ) async throws {
        let rows = try await environment.database.tenant(tenantID, readOnly: true) { connection in
            try await connection.query(
                """
                SELECT id, auth_ciphertext, auth_key_version, auth_fields -> 'api_key' ->> 'fingerprint' AS fingerprint
                FROM connectors
                """)
        }
        XCTAssertEqual(rows.count, expected.count)
        let vault = AuthVault(keys: environment.tenantKeys)
        let fingerprinter = try await environment.tenantKeys.fingerprinter(for: tenantID)
        var opened = 0
        for row in rows {
            let id: UUID = try row.decode("id")
            XCTAssertEqual(try row.decode("auth_key_version", as: Int.self), keyVersion)
            let auth = try await vault.open(
                try row.decode("auth_ciphertext"), tenantID: tenantID, connectorID: id)
            let secret = try XCTUnwrap(auth["api_key"]?.string)
            XCTAssertEqual(secret, expected[id])
            XCTAssertEqual(
                try fingerprinter.fingerprint(of: Array(secret.utf8)), try row.decode("fingerprint"))
            opened += 1
        }
        XCTAssertEqual(opened, expected.count)
    }
}
