import XCTest

@testable import Secrets

final class DigestTests: XCTestCase {
    // FIPS 180-2 / NIST CSRC examples.
    func testSHA256KnownAnswers() throws {
        XCTAssertEqual(
            try SHA256.hexDigest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            try SHA256.hexDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            try SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            try SHA256.digest(Array("abc".utf8)),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(
            try SHA256.hexDigest(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // RFC 4231 section 4 (test case 5, truncated output, is not applicable).
    func testHMACSHA256RFC4231Vectors() throws {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            (
                [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
            ),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
            ),
            (
                Array(1...25), [UInt8](repeating: 0xcd, count: 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array(
                    ("This is a test using a larger than block-size key and a larger than block-size data. "
                        + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
            ),
        ]
        for (index, vector) in cases.enumerated() {
            let key = try SecretKey(bytes: vector.key)
            let mac = try HMACSHA256.authenticationCode(for: vector.data, key: key)
            XCTAssertEqual(Hex.encode(mac), vector.mac, "RFC 4231 case \(index + 1)")
            XCTAssertTrue(try HMACSHA256.isValid(hex(vector.mac), for: vector.data, key: key))
            var wrong = hex(vector.mac)
            wrong[31] ^= 1
            XCTAssertFalse(try HMACSHA256.isValid(wrong, for: vector.data, key: key))
        }
    }

    func testConstantTimeEquality() {
        XCTAssertTrue(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2]))
        XCTAssertTrue(ConstantTime.equals([UInt8](), [UInt8]()))
        XCTAssertTrue(ConstantTime.equals("token", "token"))
        XCTAssertFalse(ConstantTime.equals("token", "tokeN"))
    }

    func testFingerprintIsShortStableAndKeyed() throws {
        let key = try SecretKey.generate()
        let fingerprinter = try Fingerprinter(key: key)
        let first = try fingerprinter.fingerprint(of: "sk_live_1234")
        XCTAssertTrue(first.hasPrefix("hmac-sha256:"))
        XCTAssertEqual(first.count, "hmac-sha256:".count + 12)
        XCTAssertEqual(first, try fingerprinter.fingerprint(of: "sk_live_1234"))
        XCTAssertEqual(first, try Fingerprinter(key: key).fingerprint(of: Array("sk_live_1234".utf8)))
        XCTAssertNotEqual(first, try fingerprinter.fingerprint(of: "sk_live_1235"))
        XCTAssertNotEqual(first, try Fingerprinter(key: SecretKey.generate()).fingerprint(of: "sk_live_1234"))
        XCTAssertFalse(first.contains("1234"))
        XCTAssertTrue(try fingerprinter.matches("sk_live_1234", fingerprint: first))
        XCTAssertFalse(try fingerprinter.matches("sk_live_9999", fingerprint: first))
    }

    func testFingerprintMatchesHMACPrefix() throws {
        let key = try SecretKey(bytes: [UInt8](repeating: 0x0b, count: 20))
        // RFC 4231 case 1: HMAC("Hi There") begins b0344c61d8db.
        XCTAssertEqual(try Fingerprinter(key: key).fingerprint(of: "Hi There"), "hmac-sha256:b0344c61d8db")
    }

    func testTenantFingerprintersDiffer() throws {
        let installation = try SecretKey.generate()
        let a = try Fingerprinter.forTenant("tenant-a", installationKey: installation)
        let b = try Fingerprinter.forTenant("tenant-b", installationKey: installation)
        XCTAssertNotEqual(try a.fingerprint(of: "same secret"), try b.fingerprint(of: "same secret"))
        XCTAssertEqual(
            try a.fingerprint(of: "same secret"),
            try Fingerprinter.forTenant("tenant-a", installationKey: installation).fingerprint(
                of: "same secret"))
    }

    func testShortFingerprintKeyIsRefused() throws {
        XCTAssertThrowsError(try Fingerprinter(key: SecretKey(bytes: [1, 2, 3])))
    }
}
