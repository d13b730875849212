import XCTest

@testable import Secrets

final class ScryptTests: XCTestCase {
    // RFC 7914 section 12 (the fourth vector needs 1 GiB and is left out).
    func testRFC7914Vectors() throws {
        let vectors: [(password: String, salt: String, logN: Int, r: Int, p: Int, output: String)] = [
            (
                "", "", 4, 1, 1,
                "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                    + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
            ),
            (
                "password", "NaCl", 10, 8, 16,
                "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                    + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
            ),
            (
                "pleaseletmein", "SodiumChloride", 14, 8, 1,
                "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                    + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
            ),
        ]
        for vector in vectors {
            let parameters = try ScryptParameters(logN: vector.logN, r: vector.r, p: vector.p)
            let output = try Scrypt.deriveKey(
                password: vector.password, salt: vector.salt, parameters: parameters, byteCount: 64)
            XCTAssertEqual(
                Hex.encode(output), vector.output, "N=2^\(vector.logN) r=\(vector.r) p=\(vector.p)")
        }
    }

    func testParameterLimits() {
        XCTAssertThrowsError(try ScryptParameters(logN: 0, r: 8, p: 1))
        XCTAssertThrowsError(try ScryptParameters(logN: 31, r: 8, p: 1))
        XCTAssertThrowsError(try ScryptParameters(logN: 15, r: 0, p: 1))
        XCTAssertThrowsError(try ScryptParameters(logN: 15, r: 8, p: 0))
        XCTAssertThrowsError(try ScryptParameters(logN: 15, r: 8, p: 17))
        // 2^20 · 8 · 128 bytes = 1 GiB, above the 256 MiB ceiling.
        XCTAssertThrowsError(try ScryptParameters(logN: 20, r: 8, p: 1))
        XCTAssertNoThrow(try ScryptParameters(logN: 17, r: 8, p: 1))
        XCTAssertEqual(ScryptParameters.default.description, "ln=15,r=8,p=1")
    }

    func testOutputLengthIsChecked() {
        XCTAssertThrowsError(
            try Scrypt.deriveKey(password: "x", salt: "y", parameters: .testing, byteCount: 0))
    }
}
