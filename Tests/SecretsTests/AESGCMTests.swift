import XCTest

@testable import Secrets

final class AESGCMTests: XCTestCase {
    // "The Galois/Counter Mode of Operation (GCM)", McGrew & Viega, test cases 13, 14 and 16
    // (the AES-256 vectors of the NIST GCM submission).
    func testNISTVectors() throws {
        let zeroKey = try SecretKey(bytes: [UInt8](repeating: 0, count: 32))
        let empty = try AESGCM.seal(
            [UInt8](), using: zeroKey, nonce: [UInt8](repeating: 0, count: 12), authenticating: [])
        XCTAssertEqual(empty.ciphertext, [])
        XCTAssertEqual(empty.tag, hex("530f8afbc74536b9a963b4f1c4cb738b"))

        let oneBlock = try AESGCM.seal(
            [UInt8](repeating: 0, count: 16), using: zeroKey, nonce: [UInt8](repeating: 0, count: 12),
            authenticating: [])
        XCTAssertEqual(oneBlock.ciphertext, hex("cea7403d4d606b6e074ec5d3baf39d18"))
        XCTAssertEqual(oneBlock.tag, hex("d0d1c8a799996bf0265b98b5d48ab919"))

        let key = try SecretKey(
            bytes: hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
        let plaintext = hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let box = try AESGCM.seal(
            plaintext, using: key, nonce: hex("cafebabefacedbaddecaf888"), authenticating: aad)
        XCTAssertEqual(
            box.ciphertext,
            hex(
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                    + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"))
        XCTAssertEqual(box.tag, hex("76fc6ece0f4e1768cddf8853bb2d551b"))
        XCTAssertEqual(try AESGCM.open(box, using: key, authenticating: aad), plaintext)
    }

    func testRoundTripWithRandomNonce() throws {
        let key = try SecretKey.generate()
        let aad = AssociatedData.make("tenant-1", "connector-9")
        for size in [0, 1, 15, 16, 17, 1000] {
            let plaintext = try SecureRandom.bytes(size)
            let box = try AESGCM.seal(plaintext, using: key, authenticating: aad)
            XCTAssertEqual(box.nonce.count, 12)
            XCTAssertEqual(box.tag.count, 16)
            XCTAssertEqual(box.ciphertext.count, size)
            XCTAssertEqual(try AESGCM.open(box, using: key, authenticating: aad), plaintext)
        }
        let first = try AESGCM.seal("same", using: key)
        let second = try AESGCM.seal("same", using: key)
        XCTAssertNotEqual(first.nonce, second.nonce)
        XCTAssertNotEqual(first.ciphertext + first.tag, second.ciphertext + second.tag)
    }

    func testTamperingIsDetected() throws {
        let key = try SecretKey.generate()
        let aad = Array("row-1".utf8)
        let box = try AESGCM.seal("api key: sk_live_abc", using: key, authenticating: aad)

        var nonce = box
        nonce.nonce[0] ^= 0x01
        assertThrows(.authenticationFailed) { try AESGCM.open(nonce, using: key, authenticating: aad) }

        var ciphertext = box
        ciphertext.ciphertext[5] ^= 0x80
        assertThrows(.authenticationFailed) { try AESGCM.open(ciphertext, using: key, authenticating: aad) }

        var tag = box
        tag.tag[15] ^= 0x01
        assertThrows(.authenticationFailed) { try AESGCM.open(tag, using: key, authenticating: aad) }

        var truncatedTag = box
        truncatedTag.tag.removeLast(4)
        assertThrows(.authenticationFailed) { try AESGCM.open(truncatedTag, using: key, authenticating: aad) }

        var shortNonce = box
        shortNonce.nonce.removeLast()
        assertThrows(.authenticationFailed) { try AESGCM.open(shortNonce, using: key, authenticating: aad) }

        var truncated = box
        truncated.ciphertext.removeLast()
        assertThrows(.authenticationFailed) { try AESGCM.open(truncated, using: key, authenticating: aad) }
    }

    func testWrongAssociatedDataOrKeyFails() throws {
        let key = try SecretKey.generate()
        let box = try AESGCM.seal("secret", using: key, authenticating: Array("row-1".utf8))
        assertThrows(.authenticationFailed) {
            try AESGCM.open(box, using: key, authenticating: Array("row-2".utf8))
        }
        assertThrows(.authenticationFailed) { try AESGCM.open(box, using: key, authenticating: []) }
        assertThrows(.authenticationFailed) {
            try AESGCM.open(box, using: SecretKey.generate(), authenticating: Array("row-1".utf8))
        }
    }

    func testKeyLengthIsChecked() throws {
        let short = try SecretKey(bytes: [UInt8](repeating: 1, count: 16))
        assertThrows(.invalidKeyLength(expected: 32, actual: 16)) { try AESGCM.seal("x", using: short) }
    }
}
