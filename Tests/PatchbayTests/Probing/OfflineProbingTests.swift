import Foundation
import JSON
import XCTest

@testable import Patchbay

/// The pieces of the tester that need no network: endpoints, defaults, wording, timeouts.
final class OfflineProbingTests: XCTestCase {
    func testEndpointParsing() throws {
        XCTAssertEqual(
            try Endpoint.parse("broker-1.example.com:9093", defaultPort: 9092),
            Endpoint(host: "broker-1.example.com", port: 9093))
        XCTAssertEqual(try Endpoint.parse("broker", defaultPort: 9092), Endpoint(host: "broker", port: 9092))
        XCTAssertEqual(try Endpoint.parse("[::1]:4223", defaultPort: 4222), Endpoint(host: "::1", port: 4223))
        XCTAssertEqual(
            try Endpoint.parse("nats://u:p@nats.local:4333", defaultPort: 4222),
            Endpoint(host: "nats.local", port: 4333))
        XCTAssertEqual(
            try Endpoint.parse("https://s3.example.com/bucket", defaultPort: 443),
            Endpoint(host: "s3.example.com", port: 443))
        XCTAssertThrowsError(try Endpoint.parse("host:99999", defaultPort: 1))
        XCTAssertThrowsError(try Endpoint.parse("host:abc", defaultPort: 1))
        // libpq host lists and unix sockets would escape the single checked address.
        XCTAssertThrowsError(try Endpoint.from(["host": "a.example,b.example"], defaultPort: 5432))
        XCTAssertThrowsError(try Endpoint.from(["host": "/var/run/postgresql"], defaultPort: 5432))
        XCTAssertThrowsError(try Endpoint.from(["host": "h"], defaultPort: 0)) { error in
            XCTAssertEqual((error as? SetupProblem)?.message, "The config has no port.")
        }
    }

    func testSchemaDefaultsFillOnlyWhatIsAbsent() throws {
        let schema: JSON = [
            "type": "object",
            "properties": [
                "port": ["type": "integer", "default": 5432],
                "sslmode": ["type": "string", "default": "prefer"],
                "pool": ["type": "object", "properties": ["size": ["type": "integer", "default": 4]]],
            ],
        ]
        let filled = SchemaDefaults.applying(schema, to: ["port": 6000, "pool": [:]])
        XCTAssertEqual(JSON.object(filled), ["port": 6000, "sslmode": "prefer", "pool": ["size": 4]])
    }

    func testPostgresReasonDropsTheFrame() {
        let message =
            "could not connect to PostgreSQL at postgresql://app@db:5432/x?hostaddr=10.0.0.1: connection to server at "
            + "\"db\" (10.0.0.1), port 5432 failed: FATAL:  password authentication failed for user \"app\""
        XCTAssertEqual(
            PostgresFailureWording.reason(in: message), "password authentication failed for user \"app\"")
        XCTAssertEqual(
            PostgresFailureWording.reason(
                in: "could not connect to PostgreSQL at postgresql://h/x: timeout expired"),
            "timeout expired")
    }

    func testTimeoutChoiceAndBounds() {
        XCTAssertEqual(ConnectionTester.timeout(requested: nil, manifest: nil), .seconds(10))
        XCTAssertEqual(ConnectionTester.timeout(requested: nil, manifest: 2500), .milliseconds(2500))
        XCTAssertEqual(ConnectionTester.timeout(requested: .seconds(3), manifest: 2500), .seconds(3))
        XCTAssertEqual(ConnectionTester.timeout(requested: .seconds(600), manifest: nil), .seconds(60))
        XCTAssertEqual(ConnectionTester.timeout(requested: .zero, manifest: nil), .milliseconds(100))
    }

    func testPostgresSettingsKeepTheServersOwnFilesOut() throws {
        let files = TemporaryPEMFiles()
        defer { files.remove() }
        let settings = PostgresTestSettings(
            config: [
                "database": "app", "user": "app", "sslmode": "verify-full",
                "sslrootcert": "-----BEGIN CERT-----",
            ],
            auth: ["password": "pw"], timeout: .milliseconds(1500))
        let configuration = try settings.configuration(
            host: "db.example", port: 5432, address: "10.0.0.5", files: files)
        let options = Dictionary(configuration.options.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        XCTAssertEqual(configuration.host, "db.example", "kept for the certificate's name check")
        XCTAssertEqual(options["hostaddr"], "10.0.0.5")
        XCTAssertEqual(options["connect_timeout"], "2")
        XCTAssertEqual(options["passfile"], PostgresTestSettings.absentFile)
        XCTAssertEqual(options["sslcert"], PostgresTestSettings.absentFile)
        XCTAssertEqual(options["gssencmode"], "disable")
        let root = try XCTUnwrap(options["sslrootcert"])
        XCTAssertEqual(try String(contentsOfFile: root, encoding: .utf8), "-----BEGIN CERT-----")
        files.remove()
        XCTAssertFalse(FileManager.default.fileExists(atPath: root))
        XCTAssertThrowsError(
            try PostgresTestSettings(
                config: ["database": "d", "user": "u", "sslmode": "sometimes"], auth: [:],
                timeout: .seconds(1)
            )
            .configuration(host: "h", port: 1, address: "10.0.0.5", files: TemporaryPEMFiles()))
    }
}
