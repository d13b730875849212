import XCTest

@testable import Secrets

final class RedactionTests: XCTestCase {
    /// Every way of printing a value, including `dump`, which walks stored properties.
    private func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    private func assertRedacted(
        _ value: Any, bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line
    ) {
        let forms = [
            Hex.encode(bytes), Base64.encode(bytes), Base64.encode(bytes, alphabet: .urlSafe, padding: false),
        ]
        for text in renderings(value) {
            for form in forms {
                XCTAssertFalse(text.contains(form), "leaked in: \(text)", file: file, line: line)
            }
            // Decimal bytes as printed by an array: "[12, 200, ...]".
            XCTAssertFalse(
                text.contains(bytes.prefix(4).map(String.init).joined(separator: ", ")), file: file,
                line: line)
        }
    }

    func testKeysPrintRedacted() throws {
        let bytes = try SecureRandom.bytes(32)
        let key = try SecretKey(bytes: bytes)
        XCTAssertEqual(key.description, "SecretKey(32 bytes, redacted)")
        assertRedacted(key, bytes: bytes)

        let master = try MasterKey(key: key)
        XCTAssertEqual(master.description, "MasterKey(id: \(master.id), redacted)")
        assertRedacted(master, bytes: bytes)

        let dataKey = try DataKey(version: 4, key: key)
        XCTAssertEqual(String(reflecting: dataKey), "DataKey(version: 4, redacted)")
        assertRedacted(dataKey, bytes: bytes)

        let ring = try KeyRing(keys: [dataKey])
        XCTAssertEqual(ring.description, "KeyRing(versions: [4], current: 4)")
        assertRedacted(ring, bytes: bytes)
        assertRedacted(MasterKeySet(current: master), bytes: bytes)
        assertRedacted(try Fingerprinter(key: key), bytes: bytes)
        assertRedacted([key, key], bytes: bytes)
    }

    func testPasswordHashDescriptionHidesSaltAndHash() throws {
        let hash = try PasswordHash(encoded: try PasswordHasher(parameters: .testing).hash("pw"))
        XCTAssertEqual(hash.description, "PasswordHash(scrypt, ln=10,r=8,p=1)")
    }

    func testErrorsCarryNoMaterial() throws {
        let master = try MasterKey.generate()
        let errors: [SecretsError] = [
            .authenticationFailed, .unknownKeyVersion(3), .unknownMasterKey(id: master.id),
            .invalidMasterKey(source: "environment variable X", reason: "not valid base64"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.contains(master.exportBase64()))
            XCTAssertFalse(error.description.isEmpty)
        }
    }
}
