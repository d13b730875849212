import XCTest

@testable import Secrets

final class RandomAndTokenTests: XCTestCase {
    func testRandomBytesHaveRequestedLength() throws {
        for count in [0, 1, 12, 32, 1000] {
            XCTAssertEqual(try SecureRandom.bytes(count).count, count)
        }
        XCTAssertThrowsError(try SecureRandom.bytes(-1))
    }

    func testRandomBytesAreUniqueAndNotConstant() throws {
        var seen = Set<[UInt8]>()
        for _ in 0..<200 { seen.insert(try SecureRandom.bytes(16)) }
        XCTAssertEqual(seen.count, 200)
        // 4 KiB of random bytes should use (almost) every byte value.
        let large = try SecureRandom.bytes(4096)
        XCTAssertGreaterThan(Set(large).count, 240)
    }

    func testTokenHasPrefixAndURLSafeAlphabet() throws {
        let token = try Token.generate(prefix: "pb_", bytes: 32)
        XCTAssertTrue(token.hasPrefix("pb_"))
        let body = token.dropFirst(3)
        XCTAssertEqual(body.count, 43)  // 32 bytes, unpadded base64
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        XCTAssertTrue(body.allSatisfy { allowed.contains($0) })
        XCTAssertEqual(Base64.decode(String(body), alphabet: .urlSafe)?.count, 32)
    }

    func testTokensAreUnique() throws {
        var seen = Set<String>()
        for _ in 0..<500 { seen.insert(try Token.generate(prefix: "pb_")) }
        XCTAssertEqual(seen.count, 500)
    }

    func testSessionTokenCarries256Bits() throws {
        let token = try Token.session()
        XCTAssertEqual(Base64.decode(token, alphabet: .urlSafe)?.count, 32)
        XCTAssertNotEqual(token, try Token.session())
    }

    func testTooShortTokenIsRefused() {
        XCTAssertThrowsError(try Token.generate(bytes: 8))
    }

    func testStorageHashIsSHA256Hex() throws {
        XCTAssertEqual(
            try Token.storageHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
