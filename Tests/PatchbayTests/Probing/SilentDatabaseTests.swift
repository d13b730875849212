import Foundation
import Postgres
import XCTest

/// A server that completes the PostgreSQL handshake and then never answers a statement (a hostile or
/// wedged host a tenant configured): a statement run with limits gives up at its deadline and closes
/// the connection, instead of holding a thread forever.
final class SilentDatabaseTests: XCTestCase {
    /// Handshake only: AuthenticationOk, the parameters libpq reads, BackendKeyData, ReadyForQuery.
    private static func handshakeThenSilence(_ fd: Int32) {
        let length = SocketIO.read(fd, exactly: 4)
        guard length.count == 4 else { return }
        let size = length.reduce(0) { $0 << 8 | Int($1) }
        _ = SocketIO.read(fd, exactly: size - 4)
        var reply: [UInt8] = message("R", int32(0))
        for (name, value) in [
            ("DateStyle", "ISO, MDY"), ("server_version", "15.0"), ("client_encoding", "UTF8"),
        ] {
            reply += message("S", Array(name.utf8) + [0] + Array(value.utf8) + [0])
        }
        reply += message("K", int32(4242) + int32(7))
        reply += message("Z", Array("I".utf8))
        SocketIO.write(fd, reply)
        _ = SocketIO.read(fd, exactly: 1 << 20)  // swallow statements until the client hangs up
    }

    private static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        Array(String(type).utf8) + int32(Int32(body.count + 4)) + body
    }

    private static func int32(_ value: Int32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    func testAStatementGivesUpAtItsDeadlineAndClosesTheConnection() async throws {
        let silent = try LoopbackListener(handle: Self.handshakeThenSilence)
        defer { silent.stop() }
        let pool = PostgresPool(
            configuration: PostgresConfiguration(
                host: "127.0.0.1", port: silent.port, user: "agent", password: nil, database: "app",
                options: [("sslmode", "disable"), ("gssencmode", "disable")]),
            size: 1, acquireTimeout: .seconds(2))
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await pool.withConnection { connection in
                try await connection.runUntrusted(
                    "SELECT 1", [],
                    limits: StatementLimits(
                        maxRows: 10, timeout: .milliseconds(200), grace: .milliseconds(300)))
            }
            XCTFail("a silent server answered")
        } catch let error as PostgresError {
            XCTAssertEqual(error.kind, .timeout, "\(error)")
        }
        let waited = clock.now - started
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(450))
        XCTAssertLessThan(waited, .seconds(3))
        await pool.close()
        XCTAssertEqual(silent.connectionCount, 1)
    }
}
