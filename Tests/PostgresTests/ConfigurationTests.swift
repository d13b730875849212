import Postgres
import XCTest

final class ConfigurationTests: XCTestCase {
    func testParsesEveryPartOfAURL() throws {
        let config = try PostgresConfiguration(
            url:
                "postgresql://app%40corp:s3cr%2Ft@db.example.com:6543/my%20db?sslmode=require&application_name=x"
        )
        XCTAssertEqual(config.user, "app@corp")
        XCTAssertEqual(config.password, "s3cr/t")
        XCTAssertEqual(config.host, "db.example.com")
        XCTAssertEqual(config.port, 6543)
        XCTAssertEqual(config.database, "my db")
        XCTAssertEqual(config.options.map(\.key), ["sslmode", "application_name"])
        XCTAssertEqual(config.options.map(\.value), ["require", "x"])
    }

    func testUnixSocketHostFromQueryAndIPv6() throws {
        let socket = try PostgresConfiguration(url: "postgres://me@/appdb?host=/var/run/postgresql&port=5433")
        XCTAssertEqual(socket.host, "/var/run/postgresql")
        XCTAssertEqual(socket.port, 5433)
        XCTAssertEqual(socket.database, "appdb")
        XCTAssertEqual(socket.redactedURL, "postgresql://me@:5433/appdb?host=/var/run/postgresql")

        let ipv6 = try PostgresConfiguration(url: "postgresql://[::1]:5432/db")
        XCTAssertEqual(ipv6.host, "::1")
        XCTAssertEqual(ipv6.port, 5432)
        XCTAssertNil(ipv6.user)
    }

    func testRedactedURLHidesEveryPassword() throws {
        let config = try PostgresConfiguration(
            url: "postgresql://bob:hunter2pass@localhost:5432/db?password=otherpass&sslmode=disable")
        let shown = config.redactedURL
        XCTAssertFalse(shown.contains("hunter2pass"), shown)
        XCTAssertFalse(shown.contains("otherpass"), shown)
        XCTAssertEqual(shown, "postgresql://bob:***@localhost:5432/db?sslmode=disable")
    }

    func testBadURLsGiveClearErrorsWithoutThePassword() {
        let cases: [(String, String)] = [
            ("mysql://u:topsecret1@h/db", "scheme"),
            ("postgresql://u:topsecret1@h:99999/db", "port"),
            ("postgresql://u:topsecret1@h:port/db", "port"),
            ("postgresql://u:topsecret1@h/db?sslmode", "no value"),
            ("postgresql://u:topsecret1@h/d%zzb", "percent"),
            ("u:topsecret1@h/db", "expected postgresql://"),
            ("postgresql://u:top/secret1@h/db", "port"),
            ("postgresql://u:top?secret1@h/db", "port"),
            ("postgresql://u@h:5432/db?password=topsecret1&sslmode", "no value"),
        ]
        for (url, reason) in cases {
            XCTAssertThrowsError(try PostgresConfiguration(url: url), url) { error in
                guard let error = error as? PostgresError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.kind, .invalidConfiguration)
                XCTAssertTrue(error.message.contains(reason), error.message)
                XCTAssertTrue(error.message.contains("invalid database URL"), error.message)
                for secret in ["topsecret1", "secret1"] {
                    XCTAssertFalse(error.message.contains(secret), error.message)
                    XCTAssertFalse("\(error)".contains(secret))
                }
            }
        }
    }

    func testErrorHelpersClassifySQLStates() {
        XCTAssertTrue(PostgresError(.server, "x", sqlState: "23505").isUniqueViolation)
        XCTAssertTrue(PostgresError(.server, "x", sqlState: "08006").isConnectionError)
        XCTAssertTrue(PostgresError(.server, "x", sqlState: "57P01").isConnectionError)
        XCTAssertTrue(PostgresError(.connection, "x").isConnectionError)
        XCTAssertFalse(PostgresError(.server, "x", sqlState: "23505").isConnectionError)
        XCTAssertFalse(PostgresError(.server, "x", sqlState: "42P01").isUniqueViolation)
    }
}
