import XCTest

@testable import Secrets

final class EncodingTests: XCTestCase {
    // RFC 4648 section 10.
    let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    func testBase64RFC4648Vectors() {
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8))
            let unpadded = String(encoded.filter { $0 != "=" })
            XCTAssertEqual(Base64.encode(Array(plain.utf8), padding: false), unpadded)
            XCTAssertEqual(Base64.decode(unpadded), Array(plain.utf8))
        }
    }

    func testBase64Alphabets() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        XCTAssertEqual(Base64.encode(bytes), "+/+/")
        XCTAssertEqual(Base64.encode(bytes, alphabet: .urlSafe), "-_-_")
        XCTAssertEqual(Base64.decode("-_-_", alphabet: .urlSafe), bytes)
        XCTAssertNil(Base64.decode("-_-_"))
        XCTAssertNil(Base64.decode("+/+/", alphabet: .urlSafe))
    }

    func testBase64RejectsMalformedInput() {
        for bad in [
            "Z", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm 9v", "Zm9v!", "Zh==", "Zm9=", "=Zm9", "é",
        ] {
            XCTAssertNil(Base64.decode(bad), "accepted \(bad.debugDescription)")
        }
    }

    func testBase64RoundTripsRandomBytes() throws {
        for count in 0..<40 {
            let bytes = try SecureRandom.bytes(count)
            XCTAssertEqual(Base64.decode(Base64.encode(bytes)), bytes)
            XCTAssertEqual(
                Base64.decode(Base64.encode(bytes, alphabet: .urlSafe, padding: false), alphabet: .urlSafe),
                bytes)
        }
    }

    func testHex() {
        XCTAssertEqual(Hex.encode([0x00, 0x7F, 0xAB, 0xFF]), "007fabff")
        XCTAssertEqual(Hex.decode("007FabFF"), [0x00, 0x7F, 0xAB, 0xFF])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }

    func testAssociatedDataIsUnambiguous() {
        XCTAssertNotEqual(AssociatedData.make("ab", "c"), AssociatedData.make("a", "bc"))
        XCTAssertEqual(AssociatedData.make("a"), [0, 0, 0, 1, 0x61])
    }
}
