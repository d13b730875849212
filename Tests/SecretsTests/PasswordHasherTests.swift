import Glibc
import XCTest

@testable import Secrets

final class PasswordHasherTests: XCTestCase {
    let hasher = try! PasswordHasher(parameters: .testing)

    func testHashAndVerify() throws {
        let encoded = try hasher.hash("correct horse battery staple")
        XCTAssertTrue(encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        XCTAssertTrue(try hasher.verify("correct horse battery staple", against: encoded))
        XCTAssertFalse(try hasher.verify("correct horse battery stapler", against: encoded))
        XCTAssertFalse(try hasher.verify("", against: encoded))
    }

    func testSaltMakesHashesDiffer() throws {
        let first = try hasher.hash("same password")
        let second = try hasher.hash("same password")
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(try hasher.verify("same password", against: second))
    }

    func testEncodedFormIsSelfDescribing() throws {
        let parsed = try PasswordHash(encoded: try hasher.hash("pw"))
        XCTAssertEqual(parsed.parameters, .testing)
        XCTAssertEqual(parsed.salt.count, 16)
        XCTAssertEqual(parsed.hash.count, 32)
        XCTAssertEqual(try PasswordHash(encoded: parsed.encoded), parsed)
        XCTAssertFalse(String(describing: parsed).contains(Base64.encode(parsed.salt, padding: false)))
    }

    func testHashWithOtherParametersStillVerifies() throws {
        let stronger = try PasswordHasher(parameters: ScryptParameters(logN: 11, r: 8, p: 2))
        let encoded = try stronger.hash("pw")
        XCTAssertTrue(try hasher.verify("pw", against: encoded))
        XCTAssertFalse(try hasher.verify("px", against: encoded))
    }

    func testKnownHashVerifies() throws {
        // Built from RFC 7914's third vector: scrypt("pleaseletmein", "SodiumChloride", 2^14, 8, 1), 64 bytes.
        let salt = Base64.encode(Array("SodiumChloride".utf8), padding: false)
        let hash = Base64.encode(
            hex(
                "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                    + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"), padding: false)
        let encoded = "$scrypt$ln=14,r=8,p=1$\(salt)$\(hash)"
        XCTAssertTrue(try hasher.verify("pleaseletmein", against: encoded))
        XCTAssertFalse(try hasher.verify("pleaseletmeout", against: encoded))
    }

    func testMalformedHashesThrowClearErrors() throws {
        let good = try hasher.hash("pw")
        let fields = good.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        let malformed = [
            "", "$", "plain", "$scrypt$", "$bcrypt$ln=10,r=8,p=1$\(fields[3])$\(fields[4])",
            "$scrypt$ln=10,r=8$\(fields[3])$\(fields[4])",
            "$scrypt$ln=10,p=1,r=8$\(fields[3])$\(fields[4])",
            "$scrypt$ln=+10,r=8,p=1$\(fields[3])$\(fields[4])",
            "$scrypt$ln=99999,r=8,p=1$\(fields[3])$\(fields[4])",
            "$scrypt$ln=40,r=8,p=1$\(fields[3])$\(fields[4])",
            "$scrypt$ln=24,r=8,p=1$\(fields[3])$\(fields[4])",
            "$scrypt$ln=10,r=8,p=1$***$\(fields[4])",
            "$scrypt$ln=10,r=8,p=1$\(fields[3])$",
            "$scrypt$ln=10,r=8,p=1$\(fields[3])$\(fields[4])$extra",
            "$scrypt$ln=10,r=8,p=1$AAAA$\(fields[4])",
            good + "\n",
        ]
        for text in malformed {
            guard let error = thrownError({ try hasher.verify("pw", against: text) }) else { continue }
            guard case .malformedPasswordHash(let reason) = error else {
                XCTFail("unexpected \(error) for \(text.debugDescription)")
                continue
            }
            XCTAssertFalse(reason.isEmpty)
            XCTAssertTrue(hasher.needsRehash(text))
        }
    }

    func testNeedsRehash() throws {
        let encoded = try hasher.hash("pw")
        XCTAssertFalse(hasher.needsRehash(encoded))
        let stronger = try PasswordHasher(parameters: ScryptParameters(logN: 11, r: 8, p: 1))
        XCTAssertTrue(stronger.needsRehash(encoded))
        XCTAssertFalse(stronger.needsRehash(try stronger.hash("pw")))
        let longerSalt = try PasswordHasher(parameters: .testing, saltLength: 32)
        XCTAssertTrue(longerSalt.needsRehash(encoded))
    }

    func testUnknownAccountVerificationReturnsFalse() throws {
        XCTAssertFalse(try hasher.verifyUnknownAccount("anything"))
    }

    /// Measures the default cost; the figure is printed for the record.
    func testDefaultCostTiming() throws {
        let production = try PasswordHasher()
        XCTAssertEqual(production.parameters, .default)
        var samples: [Double] = []
        var encoded = ""
        for _ in 0..<5 {
            let start = monotonicSeconds()
            encoded = try production.hash("a reasonably long passphrase")
            samples.append((monotonicSeconds() - start) * 1000)
        }
        let verifyStart = monotonicSeconds()
        XCTAssertTrue(try production.verify("a reasonably long passphrase", against: encoded))
        let verifyMs = (monotonicSeconds() - verifyStart) * 1000
        let sorted = samples.sorted()
        print(
            "scrypt \(ScryptParameters.default): hash median \(formatted(sorted[2])) ms "
                + "(min \(formatted(sorted[0])), max \(formatted(sorted[4]))), verify \(formatted(verifyMs)) ms"
        )
        // Far too fast would mean the cost is not applied; far too slow would hurt logins.
        XCTAssertGreaterThan(sorted[2], 10)
        XCTAssertLessThan(sorted[2], 2000)
    }

    private func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func formatted(_ value: Double) -> String {
        String(Int(value.rounded()))
    }
}
