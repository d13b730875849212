import XCTest

@testable import Outbound

/// Probes against fake servers written here, plus the failure classes every probe shares.
final class ProbeTests: XCTestCase {
    let recorder = NetworkRecorder()
    var servers: [TestServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
    }

    func prober(allow: String = "127.0.0.1") throws -> OutboundProber {
        OutboundProber(policy: try OutboundPolicy(allowList: allow), network: recorder.network)
    }

    func started(_ server: TestServer) -> Int {
        servers.append(server)
        return server.port
    }

    func testTCPConnectOnly() async throws {
        let port = started(try FakeServers.greeting(""))
        let result = try await prober().probe(.tcp, host: "127.0.0.1", port: port)
        XCTAssertTrue(result.success)
        XCTAssertEqual(result.message, "TCP connect only: port open")
        XCTAssertEqual(result.details["address"], "127.0.0.1")
        XCTAssertNotNil(result.details["connect_ms"])
        XCTAssertGreaterThan(result.latency, .zero)
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(port)"])
    }

    func testMySQLHandshake() async throws {
        let port = started(try FakeServers.mysql(payload: FakeServers.mysqlHandshake(version: "8.0.36-fake")))
        let result = try await prober().probe(.mysql, host: "127.0.0.1", port: port)
        XCTAssertTrue(result.success)
        XCTAssertEqual(result.message, "MySQL handshake received (server 8.0.36-fake)")
        XCTAssertEqual(result.details["version"], "8.0.36-fake")
        XCTAssertEqual(result.details["connection_id"], "42")
    }

    func testMySQLErrorPackets() async throws {
        let busy = started(
            try FakeServers.mysql(
                payload: FakeServers.mysqlError(code: 1040, state: "08004", message: "Too many connections")))
        let result = try await prober().probe(.mysql, host: "127.0.0.1", port: busy)
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.message, "MySQL answered with error 1040: Too many connections")

        let hostBlocked = started(
            try FakeServers.mysql(
                payload: FakeServers.mysqlError(
                    code: 1130, state: nil, message: "Host 'x' is not allowed to connect")))
        let error = await outboundError {
            try await self.prober().probe(.mysql, host: "127.0.0.1", port: hostBlocked)
        }
        XCTAssertEqual(error, .authRejected("MySQL error 1130: Host 'x' is not allowed to connect"))
    }

    func testAMQPConnectionStart() async throws {
        let port = started(try FakeServers.amqp())
        let result = try await prober().probe(.amqp, host: "127.0.0.1", port: port)
        XCTAssertTrue(result.success)
        XCTAssertEqual(result.message, "AMQP Connection.Start received (RabbitMQ 3.13.0)")
        XCTAssertEqual(result.details["amqp_version"], "0-9")

        let oneOnly = started(try FakeServers.amqpOneOnly())
        let error = await outboundError {
            try await self.prober().probe(.amqp, host: "127.0.0.1", port: oneOnly)
        }
        XCTAssertEqual(error, .protocolError("the server speaks AMQP 1-0-0, not 0-9-1"))
    }

    func testKafkaApiVersions() async throws {
        let port = started(try FakeServers.kafka())
        let result = try await prober().probe(.kafka, host: "127.0.0.1", port: port)
        XCTAssertTrue(result.success)
        XCTAssertEqual(result.message, "Kafka ApiVersions answered (3 APIs)")
    }

    func testGreetings() async throws {
        let smtp = started(try FakeServers.greeting("220-mail.test ESMTP Fake\r\n220 ready\r\n"))
        let smtpResult = try await prober().probe(.smtp, host: "127.0.0.1", port: smtp)
        XCTAssertEqual(smtpResult.message, "SMTP greeting received (220 mail.test ESMTP Fake)")
        XCTAssertTrue(smtpResult.success)

        let refusing = started(try FakeServers.greeting("554 no service here\r\n"))
        let refused = try await prober().probe(.smtp, host: "127.0.0.1", port: refusing)
        XCTAssertFalse(refused.success)
        XCTAssertEqual(refused.message, "SMTP server refused service: 554 no service here")

        let ftp = started(try FakeServers.greeting("220 FTP fake ready\r\n"))
        let ftpResult = try await prober().probe(.ftp, host: "127.0.0.1", port: ftp)
        XCTAssertEqual(ftpResult.message, "FTP greeting received (220 FTP fake ready)")

        let http = started(try FakeServers.greeting("HTTP/1.1 400 Bad Request\r\n\r\n"))
        let error = await outboundError {
            try await self.prober().probe(.smtp, host: "127.0.0.1", port: http)
        }
        XCTAssertEqual(error, .protocolError("not a SMTP greeting: 'HTTP/1.1 400 Bad Request'"))
    }

    func testNATSInfo() async throws {
        let info =
            #"INFO {"server_id":"NABC","server_name":"fake","version":"2.10.7","proto":1,"auth_required":true}"#
        let port = started(try FakeServers.greeting(info + "\r\n"))
        let result = try await prober().probe(.nats, host: "127.0.0.1", port: port)
        XCTAssertEqual(result.message, "NATS INFO received (server 2.10.7)")
        XCTAssertEqual(result.details["server_id"], "NABC")
        XCTAssertEqual(result.details["auth_required"], "true")
    }

    func testMQTTConnack() async throws {
        let port = started(try FakeServers.mqtt(password: "right"))
        let result = try await prober().probe(
            .mqtt(username: "u", password: "right"), host: "127.0.0.1", port: port)
        XCTAssertEqual(result.message, "MQTT CONNACK accepted the connection")
        let error = await outboundError {
            try await self.prober().probe(
                .mqtt(username: "u", password: "wrong"), host: "127.0.0.1", port: port)
        }
        XCTAssertEqual(error, .authRejected("MQTT: not authorised"))
    }

    func testRefusedPort() async throws {
        let port = try TestSocket.refusedPort()
        for kind in [ProbeKind.tcp, .redis(), .mysql] {
            let error = await outboundError {
                try await self.prober().probe(kind, host: "127.0.0.1", port: port)
            }
            XCTAssertEqual(error, .connectionRefused(host: "127.0.0.1", port: port))
        }
    }

    func testSilentServerTimesOut() async throws {
        // The kernel completes the handshake from the backlog; nobody ever reads or writes.
        let listener = try TestSocket.listen()
        defer { listener.close() }
        let started = ContinuousClock.now
        let error = await outboundError {
            try await self.prober().probe(
                .mysql, host: "127.0.0.1", port: listener.port, timeout: .milliseconds(300))
        }
        XCTAssertEqual(error, .timeout(after: .milliseconds(300)))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
    }

    func testPolicyRefusesBeforeConnecting() async throws {
        let recorder = NetworkRecorder(fakeAnswers: ["cache.internal.test": [.v4(0x0A00_0005)]])
        let prober = OutboundProber(policy: OutboundPolicy(), network: recorder.network)
        let cases: [(String, OutboundError)] = [
            (
                "10.0.0.1",
                .addressNotAllowed(host: "10.0.0.1", address: "10.0.0.1", reason: "private network")
            ),
            (
                "169.254.169.254",
                .addressNotAllowed(
                    host: "169.254.169.254", address: "169.254.169.254", reason: "cloud metadata service")
            ),
            (
                "cache.internal.test",
                .addressNotAllowed(
                    host: "cache.internal.test", address: "10.0.0.5", reason: "private network")
            ),
            ("localhost", .addressNotAllowed(host: "localhost", address: "127.0.0.1", reason: "loopback")),
        ]
        for (host, expected) in cases {
            let error = await outboundError { try await prober.probe(.redis(), host: host, port: 6379) }
            XCTAssertEqual(error, expected, host)
        }
        XCTAssertEqual(recorder.lookups, ["cache.internal.test", "localhost"])
        XCTAssertEqual(recorder.connects, [])
    }

    func testDNSFailureAndBadPort() async throws {
        let error = await outboundError {
            try await self.prober().probe(.tcp, host: "absent.invalid", port: 80)
        }
        XCTAssertEqual(error, .dnsFailure(host: "absent.invalid"))
        let badPort = await outboundError {
            try await self.prober().probe(.tcp, host: "127.0.0.1", port: 70_000)
        }
        XCTAssertEqual(badPort, .invalidRequest("port 70000 is out of range"))
    }

    func testCancellation() async throws {
        let listener = try TestSocket.listen()
        defer { listener.close() }
        let prober = try prober()
        let task = Task {
            try await prober.probe(.nats, host: "127.0.0.1", port: listener.port, timeout: .seconds(10))
        }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        task.cancel()
        let error = await outboundError { try await task.value }
        XCTAssertEqual(error, .cancelled)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
    }
}
