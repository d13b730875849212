import XCTest

@testable import Secrets

final class MasterKeyTests: XCTestCase {
    func testWrapAndUnwrap() throws {
        let master = try MasterKey.generate()
        let dataKey = try DataKey.generate(version: 3)
        let wrapped = try master.wrap(dataKey, tenantID: "tenant-1")
        XCTAssertEqual(wrapped.version, 3)
        XCTAssertEqual(wrapped.masterKeyID, master.id)
        let unwrapped = try master.unwrap(wrapped, tenantID: "tenant-1")
        XCTAssertEqual(unwrapped, dataKey)
        XCTAssertEqual(unwrapped.version, 3)
    }

    func testUnwrapIsBoundToTenantVersionAndKey() throws {
        let master = try MasterKey.generate()
        let wrapped = try master.wrap(DataKey.generate(version: 1), tenantID: "tenant-1")
        assertThrows(.authenticationFailed) { try master.unwrap(wrapped, tenantID: "tenant-2") }
        let relabelled = WrappedDataKey(version: 2, masterKeyID: wrapped.masterKeyID, box: wrapped.box)
        assertThrows(.authenticationFailed) { try master.unwrap(relabelled, tenantID: "tenant-1") }
        let other = try MasterKey.generate()
        assertThrows(.unknownMasterKey(id: master.id)) { try other.unwrap(wrapped, tenantID: "tenant-1") }
        // Forging the ID does not help: the ID is part of the authenticated data and the key differs.
        let forged = WrappedDataKey(version: 1, masterKeyID: other.id, box: wrapped.box)
        assertThrows(.authenticationFailed) { try other.unwrap(forged, tenantID: "tenant-1") }
    }

    func testIDIsStableShortAndDistinct() throws {
        let bytes = try SecureRandom.bytes(32)
        let a = try MasterKey(key: SecretKey(bytes: bytes))
        let b = try MasterKey(key: SecretKey(bytes: bytes))
        XCTAssertEqual(a.id, b.id)
        XCTAssertEqual(a.id.count, 8)
        XCTAssertNotNil(Hex.decode(a.id))
        XCTAssertNotEqual(a.id, try MasterKey.generate().id)
        // The ID is not simply a prefix of the plain SHA-256 of the key.
        XCTAssertFalse(try SHA256.hexDigest(bytes).hasPrefix(a.id))
    }

    func testExportRoundTrips() throws {
        let master = try MasterKey.generate()
        let again = try MasterKey(base64Encoded: master.exportBase64())
        XCTAssertEqual(again, master)
        XCTAssertEqual(again.id, master.id)
    }

    func testRewrapUnderNewMasterKey() throws {
        let old = try MasterKey.generate()
        let new = try MasterKey.generate()
        let dataKey = try DataKey.generate(version: 1)
        let ring = try KeyRing(keys: [dataKey])
        let aad = AssociatedData.make("tenant-1", "connector-1")
        let stored = try ring.seal("still readable", authenticating: aad)

        let wrapped = try old.wrap(dataKey, tenantID: "tenant-1")
        let rewrapped = try KeyRotation.rewrap(wrapped, tenantID: "tenant-1", from: old, to: new)
        XCTAssertEqual(rewrapped.masterKeyID, new.id)
        XCTAssertEqual(rewrapped.version, 1)
        XCTAssertNotEqual(rewrapped.box, wrapped.box)
        assertThrows(.unknownMasterKey(id: new.id)) { try old.unwrap(rewrapped, tenantID: "tenant-1") }

        // A ring rebuilt from the rewrapped key opens data sealed before the rotation.
        let rebuilt = try KeyRing.unwrapping(
            [rewrapped], tenantID: "tenant-1", masterKeys: MasterKeySet(current: new))
        XCTAssertEqual(try rebuilt.openString(stored, authenticating: aad), "still readable")
    }

    func testMasterKeySetDuringRotation() throws {
        let old = try MasterKey.generate()
        let new = try MasterKey.generate()
        let wrappedOld = try old.wrap(DataKey.generate(version: 1), tenantID: "t")
        let set = MasterKeySet(current: new, previous: [old, new])
        XCTAssertEqual(set.previous.map(\.id), [old.id])
        let wrappedNew = try set.wrap(DataKey.generate(version: 2), tenantID: "t")
        XCTAssertEqual(wrappedNew.masterKeyID, new.id)
        XCTAssertTrue(set.needsRewrap(wrappedOld))
        XCTAssertFalse(set.needsRewrap(wrappedNew))

        let ring = try KeyRing.unwrapping([wrappedOld, wrappedNew], tenantID: "t", masterKeys: set)
        XCTAssertEqual(ring.versions, [1, 2])
        XCTAssertEqual(ring.currentVersion, 2)

        let rewrapped = try set.rewrap(wrappedOld, tenantID: "t")
        XCTAssertFalse(set.needsRewrap(rewrapped))
        XCTAssertEqual(try set.rewrap(wrappedNew, tenantID: "t"), wrappedNew)
        let onlyNew = MasterKeySet(current: new)
        XCTAssertEqual(
            try onlyNew.unwrap(rewrapped, tenantID: "t"), try set.unwrap(wrappedOld, tenantID: "t"))
        assertThrows(.unknownMasterKey(id: old.id)) { try onlyNew.unwrap(wrappedOld, tenantID: "t") }
    }

    func testWrongLengthKeyIsRefused() throws {
        assertThrows(.invalidKeyLength(expected: 32, actual: 16)) {
            try MasterKey(key: SecretKey(bytes: [UInt8](repeating: 1, count: 16)))
        }
        assertThrows(.invalidKeyLength(expected: 32, actual: 31)) {
            try DataKey(version: 1, key: SecretKey(bytes: [UInt8](repeating: 1, count: 31)))
        }
    }
}
