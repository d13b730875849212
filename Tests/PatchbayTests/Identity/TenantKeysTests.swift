import Foundation
import Patchbay
import Postgres
import TestSupport
import XCTest

final class TenantKeysTests: XCTestCase {
    private var harness: TestEnvironment!

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    func testANewTenantGetsAWrappedDataKeyThatSealsAndOpens() async throws {
        let tenant = try await harness.fixtures.tenant("acme")
        let keys = harness.environment.tenantKeys
        let rows = try await harness.fixtures.column(
            "SELECT version || ':' || is_current || ':' || master_key_id FROM tenant_keys WHERE tenant_id = $1",
            [tenant.id])
        XCTAssertEqual(rows, ["1:true:\(keys.masterKeys.current.id)"])
        let ring = try await keys.keyRing(for: tenant.id)
        XCTAssertEqual(ring.currentVersion, 1)
        let sealed = try ring.seal("s3cret-value", authenticating: Array("acme/conn/1".utf8))
        XCTAssertEqual(try ring.openString(sealed, authenticating: Array("acme/conn/1".utf8)), "s3cret-value")
    }

    func testADifferentMasterKeyCannotOpenTheTenantsKeys() async throws {
        let tenant = try await harness.fixtures.tenant("acme")
        let other = TenantKeys(
            database: harness.environment.database, masterKeys: try MasterKeyConfiguration.ephemeral())
        do {
            _ = try await other.keyRing(for: tenant.id)
            XCTFail("another master key must not unwrap the data key")
        } catch {
            XCTAssertTrue("\(error)".contains("master key"), "\(error)")
        }
    }

    func testTenantsHaveDistinctKeysBoundToTheirIDs() async throws {
        let acme = try await harness.fixtures.tenant("acme")
        let globex = try await harness.fixtures.tenant("globex")
        let keys = harness.environment.tenantKeys
        let sealed = try await keys.keyRing(for: acme.id).seal("x", authenticating: [])
        let globexRing = try await keys.keyRing(for: globex.id)
        XCTAssertThrowsError(
            try globexRing.open(sealed, authenticating: []), "globex's key cannot open acme's value")
        // Copying acme's wrapped key onto globex's row does not give globex acme's key.
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                """
                UPDATE tenant_keys SET wrapped_key = (SELECT wrapped_key FROM tenant_keys WHERE tenant_id = $1)
                WHERE tenant_id = $2
                """, [acme.id, globex.id])
        }
        let fresh = TenantKeys(database: harness.environment.database, masterKeys: keys.masterKeys)
        do {
            _ = try await fresh.keyRing(for: globex.id)
            XCTFail("a wrapped key moved to another tenant must not unwrap")
        } catch {}
    }

    func testRotationAddsACurrentVersionAndOtherNodesReloadForIt() async throws {
        let tenant = try await harness.fixtures.tenant("acme")
        let keys = harness.environment.tenantKeys
        let otherNode = TenantKeys(database: harness.environment.database, masterKeys: keys.masterKeys)
        let before = try await otherNode.keyRing(for: tenant.id)
        XCTAssertEqual(before.versions, [1])
        let version = try await keys.rotate(tenantID: tenant.id)
        XCTAssertEqual(version, 2)
        let sealed = try await keys.keyRing(for: tenant.id).seal("v2 secret", authenticating: [])
        XCTAssertEqual(sealed.keyVersion, 2)
        let reloaded = try await otherNode.keyRing(for: tenant.id, containing: sealed.keyVersion)
        XCTAssertEqual(reloaded.versions, [1, 2])
        XCTAssertEqual(try reloaded.openString(sealed, authenticating: []), "v2 secret")
        let current = try await harness.fixtures.column(
            "SELECT version::text FROM tenant_keys WHERE tenant_id = $1 AND is_current", [tenant.id])
        XCTAssertEqual(current, ["2"])
    }

    func testFingerprintsAreStableAcrossNodesAndDifferPerTenant() async throws {
        let acme = try await harness.fixtures.tenant("acme")
        let globex = try await harness.fixtures.tenant("globex")
        let keys = harness.environment.tenantKeys
        let otherNode = TenantKeys(database: harness.environment.database, masterKeys: keys.masterKeys)
        let here = try await keys.fingerprinter(for: acme.id).fingerprint(of: "sk_live_123")
        let there = try await otherNode.fingerprinter(for: acme.id).fingerprint(of: "sk_live_123")
        let elsewhere = try await keys.fingerprinter(for: globex.id).fingerprint(of: "sk_live_123")
        XCTAssertEqual(here, there)
        XCTAssertNotEqual(here, elsewhere)
        XCTAssertTrue(here.hasPrefix("hmac-sha256:"))
        let stored = try await harness.fixtures.column("SELECT count(*)::text FROM installation_secrets")
        XCTAssertEqual(stored, ["1"])
    }
}
