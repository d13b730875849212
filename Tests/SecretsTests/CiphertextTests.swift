import XCTest

@testable import Secrets

final class CiphertextTests: XCTestCase {
    func testLayout() throws {
        let box = AESGCM.SealedBox(
            nonce: Array(0..<12), ciphertext: [0xAA, 0xBB], tag: [UInt8](repeating: 0xCC, count: 16))
        let ciphertext = Ciphertext(keyVersion: 0x0102_0304, box: box)
        let encoded = ciphertext.encoded
        XCTAssertEqual(encoded.count, 1 + 4 + 12 + 2 + 16)
        XCTAssertEqual(Array(encoded[0..<5]), [0x01, 0x01, 0x02, 0x03, 0x04])
        XCTAssertEqual(Array(encoded[5..<17]), Array(0..<12))
        XCTAssertEqual(Array(encoded[17..<19]), [0xAA, 0xBB])
        XCTAssertEqual(try Ciphertext(encoded: encoded), ciphertext)
        XCTAssertEqual(try Ciphertext(base64Encoded: ciphertext.base64Encoded), ciphertext)
    }

    func testMalformedEncodingsAreRejected() {
        XCTAssertThrowsError(try Ciphertext(encoded: []))
        assertThrows(.unsupportedFormat(0x02)) {
            try Ciphertext(encoded: [0x02] + [UInt8](repeating: 0, count: 40))
        }
        XCTAssertThrowsError(try Ciphertext(encoded: [0x01] + [UInt8](repeating: 0, count: 31)))
        XCTAssertNoThrow(try Ciphertext(encoded: [0x01] + [UInt8](repeating: 0, count: 32)))
        XCTAssertThrowsError(try Ciphertext(base64Encoded: "not base64!"))
    }

    func testWrappedKeyEncodingRoundTrips() throws {
        let master = try MasterKey.generate()
        let wrapped = try master.wrap(DataKey.generate(version: 7), tenantID: "t1")
        let decoded = try WrappedDataKey(base64Encoded: wrapped.base64Encoded)
        XCTAssertEqual(decoded, wrapped)
        XCTAssertEqual(decoded.version, 7)
        XCTAssertEqual(decoded.masterKeyID, master.id)
        XCTAssertThrowsError(try WrappedDataKey(encoded: Array(wrapped.encoded.dropLast())))
        XCTAssertThrowsError(try WrappedDataKey(encoded: []))
        assertThrows(.unsupportedFormat(9)) { try WrappedDataKey(encoded: [9] + wrapped.encoded.dropFirst()) }
    }
}
