import XCTest

@testable import Secrets

final class KeyRingTests: XCTestCase {
    let aad = AssociatedData.make("connector.auth", "tenant-1", "connector-1")

    func testSealAndOpenWithCurrentKey() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1), DataKey.generate(version: 2)])
        XCTAssertEqual(ring.currentVersion, 2)
        XCTAssertEqual(ring.versions, [1, 2])
        let sealed = try ring.seal("{\"apiKey\":\"sk_live_abc\"}", authenticating: aad)
        XCTAssertEqual(sealed.keyVersion, 2)
        let reopened = try Ciphertext(base64Encoded: sealed.base64Encoded)
        XCTAssertEqual(try ring.openString(reopened, authenticating: aad), "{\"apiKey\":\"sk_live_abc\"}")
        let old = try ring.seal([1, 2, 3], version: 1, authenticating: aad)
        XCTAssertEqual(old.keyVersion, 1)
        XCTAssertEqual(try ring.open(old, authenticating: aad), [1, 2, 3])
    }

    func testUnknownKeyVersion() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        let other = try KeyRing(keys: [DataKey.generate(version: 5)])
        let sealed = try other.seal("x", authenticating: aad)
        assertThrows(.unknownKeyVersion(5)) { try ring.open(sealed, authenticating: aad) }
        XCTAssertEqual(
            SecretsError.unknownKeyVersion(5).description,
            "no data key with version 5 is loaded in the key ring")
        assertThrows(.unknownKeyVersion(9)) { try ring.seal("x", version: 9, authenticating: aad) }
    }

    func testRelabelledKeyVersionFails() throws {
        // Both versions loaded: a ciphertext whose header is rewritten to name the other version
        // must fail, because the header is authenticated.
        let ring = try KeyRing(keys: [DataKey.generate(version: 1), DataKey.generate(version: 2)])
        let sealed = try ring.seal("x", version: 1, authenticating: aad)
        let relabelled = Ciphertext(keyVersion: 2, box: sealed.box)
        assertThrows(.authenticationFailed) { try ring.open(relabelled, authenticating: aad) }

        // Same key bytes under two versions: only the authenticated header tells them apart.
        let key = try SecretKey.generate()
        let twin = try KeyRing(keys: [DataKey(version: 1, key: key), DataKey(version: 2, key: key)])
        let one = try twin.seal("x", version: 1, authenticating: aad)
        assertThrows(.authenticationFailed) {
            try twin.open(Ciphertext(keyVersion: 2, box: one.box), authenticating: aad)
        }
    }

    func testCiphertextMovedToAnotherRowFails() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        let sealed = try ring.seal("secret", authenticating: aad)
        let otherRow = AssociatedData.make("connector.auth", "tenant-1", "connector-2")
        let otherTenant = AssociatedData.make("connector.auth", "tenant-2", "connector-1")
        assertThrows(.authenticationFailed) { try ring.open(sealed, authenticating: otherRow) }
        assertThrows(.authenticationFailed) { try ring.open(sealed, authenticating: otherTenant) }
    }

    func testTamperedEncodedCiphertextFails() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        let encoded = try ring.seal("secret value", authenticating: aad).encoded
        for index in 5..<encoded.count {
            var tampered = encoded
            tampered[index] ^= 0x01
            assertThrows(.authenticationFailed) {
                try ring.open(Ciphertext(encoded: tampered), authenticating: aad)
            }
        }
    }

    func testEmptyRingAndConflicts() throws {
        let ring = try KeyRing()
        XCTAssertNil(ring.currentVersion)
        assertThrows(.noCurrentKeyVersion) { try ring.seal("x", authenticating: []) }
        let key = try DataKey.generate(version: 1)
        try ring.add(key)
        try ring.add(key)
        assertThrows(.keyVersionConflict(1)) { try ring.add(DataKey.generate(version: 1)) }
        assertThrows(.keyVersionConflict(3)) {
            try KeyRing(keys: [DataKey.generate(version: 3), DataKey.generate(version: 3)])
        }
        assertThrows(.unknownKeyVersion(4)) { try KeyRing(keys: [key], currentVersion: 4) }
        assertThrows(.unknownKeyVersion(4)) { try ring.setCurrentVersion(4) }
    }

    func testAddSetCurrentAndRemove() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        try ring.add(DataKey.generate(version: 2), makeCurrent: false)
        XCTAssertEqual(ring.currentVersion, 1)
        try ring.setCurrentVersion(2)
        XCTAssertEqual(try ring.seal("x", authenticating: aad).keyVersion, 2)
        let sealed = try ring.seal("x", authenticating: aad)
        ring.remove(version: 2)
        XCTAssertEqual(ring.currentVersion, 1)
        assertThrows(.unknownKeyVersion(2)) { try ring.open(sealed, authenticating: aad) }
    }

    func testReencryptToNewDataKey() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        let old = try ring.seal("rotate me", authenticating: aad)
        try ring.add(DataKey.generate(version: 2))
        let fresh = try ring.reencrypt(old, authenticating: aad)
        XCTAssertEqual(fresh.keyVersion, 2)
        XCTAssertNotEqual(fresh.box.ciphertext, old.box.ciphertext)
        ring.remove(version: 1)
        XCTAssertEqual(try ring.openString(fresh, authenticating: aad), "rotate me")
        assertThrows(.unknownKeyVersion(1)) { try ring.open(old, authenticating: aad) }
    }

    func testReencryptWithChangedAssociatedDataAndExplicitVersion() throws {
        let ring = try KeyRing(keys: [
            DataKey.generate(version: 1), DataKey.generate(version: 2), DataKey.generate(version: 3),
        ])
        let oldAAD = AssociatedData.make("tenant-1", "connector-1", "1")
        let newAAD = AssociatedData.make("tenant-1", "connector-1", "2")
        let old = try ring.seal("value", version: 1, authenticating: oldAAD)
        let moved = try KeyRotation.reencrypt(old, in: ring, toVersion: 2, authenticating: oldAAD)
        XCTAssertEqual(moved.keyVersion, 2)
        let relabelled = try ring.reencrypt(
            old, authenticating: oldAAD, newAssociatedData: newAAD, toVersion: 2)
        XCTAssertEqual(try ring.openString(relabelled, authenticating: newAAD), "value")
        assertThrows(.authenticationFailed) { try ring.open(relabelled, authenticating: oldAAD) }
        assertThrows(.authenticationFailed) { try ring.reencrypt(old, authenticating: newAAD) }
    }

    func testInvalidUTF8IsReported() throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        let sealed = try ring.seal([0xFF, 0xFE], authenticating: aad)
        assertThrows(.invalidUTF8) { try ring.openString(sealed, authenticating: aad) }
    }

    func testConcurrentUse() async throws {
        let ring = try KeyRing(keys: [DataKey.generate(version: 1)])
        let aad = self.aad
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for round in 0..<50 {
                        let text = "worker \(worker) round \(round)"
                        let sealed = try ring.seal(text, authenticating: aad)
                        let opened = try ring.openString(sealed, authenticating: aad)
                        if opened != text { throw SecretsError.authenticationFailed }
                        if worker == 0 && round % 10 == 0 {
                            try ring.add(DataKey.generate(version: UInt32(100 + round)), makeCurrent: false)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(ring.versions.count, 6)
    }
}
