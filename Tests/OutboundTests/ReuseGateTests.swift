import XCTest

@testable import Outbound

/// The two gates that keep a reused connection within the policy: the session's record of where
/// its connections went, and the check of the peer right before a request is sent.
final class ReuseGateTests: XCTestCase {
    let local: IPAddress = .v4(0x7F00_0001)
    let other: IPAddress = .v4(0x7F00_0002)

    func destination(_ addresses: [IPAddress], host: String = "svc.test", port: Int = 80)
        -> CheckedDestination
    {
        CheckedDestination(host: host, port: port, addresses: addresses, lookupTime: .zero)
    }

    func testPrerequestGateAdmitsOnlyCheckedAddresses() {
        let context = TransferContext(
            limit: 10, allowed: [local, IPAddress("fe80::1")!], port: 80, network: NetworkRecorder().network,
            cancellation: CancellationFlag())
        XCTAssertTrue(context.admits(connectionTo: "127.0.0.1"))
        XCTAssertTrue(context.admits(connectionTo: "fe80::1%eth0"))
        XCTAssertFalse(context.admits(connectionTo: "127.0.0.2"))
        XCTAssertFalse(context.admits(connectionTo: "::ffff:127.0.0.2"))
        XCTAssertFalse(context.admits(connectionTo: ""))
        XCTAssertFalse(context.admits(connectionTo: "not an address"))
    }

    /// One handle, two hops to the same name whose checked addresses changed in between, with the
    /// session's record bypassed: libcurl would reuse the connection to the old address, and only
    /// the gate before the request stops it.
    func testPrerequestGateRefusesAReusedConnectionToAnUncheckedAddress() throws {
        let server = try FakeHTTPServer(host: "127.0.0.1", keepAlive: true)
        defer { server.stop() }
        let recorder = NetworkRecorder()
        let easy = try CurlEasy()
        let url = try CurlURL("http://svc.test:\(server.port)/echo")
        func hop(_ addresses: [IPAddress]) -> CurlHop {
            CurlHop(
                easy: easy, url: url, destination: destination(addresses, port: server.port), method: "GET",
                headers: [:], body: [], timeout: .seconds(5), maxResponseBytes: 10_000, userAgent: "test",
                network: recorder.network, cancellation: CancellationFlag())
        }
        XCTAssertEqual(try hop([local]).run().status, 200)
        XCTAssertThrowsError(try hop([other]).run()) { error in
            XCTAssertEqual(
                error as? OutboundError,
                .addressNotAllowed(
                    host: "svc.test", address: "127.0.0.1", reason: "not among the checked addresses"))
        }
        XCTAssertEqual(server.requestCount, 1, "the second request was never sent")
        XCTAssertEqual(server.connectionCount, 1)
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(server.port)"], "no socket was opened for it")
    }

    func testSessionKeepsItsHandleOnlyWhileEveryKnownAddressIsChecked() throws {
        let session = CurlSession()
        let handle = try session.handle(for: destination([local]))
        session.record(remoteIP: "127.0.0.1", for: destination([local]))
        XCTAssertTrue(try session.handle(for: destination([local])) === handle)
        XCTAssertTrue(try session.handle(for: destination([other, local])) === handle)
        XCTAssertTrue(try session.handle(for: destination([other], port: 81)) === handle, "another origin")

        XCTAssertFalse(try session.handle(for: destination([other])) === handle)
    }

    func testSessionDropsItsHandleOnAnUnreadablePeerOrTooManyOrigins() throws {
        let session = CurlSession()
        let handle = try session.handle(for: destination([local]))
        session.record(remoteIP: "", for: destination([local]))
        let fresh = try session.handle(for: destination([local]))
        XCTAssertFalse(fresh === handle)

        for port in 1...CurlSession.maxOrigins {
            _ = try session.handle(for: destination([local], port: port))
            session.record(remoteIP: "127.0.0.1", for: destination([local], port: port))
        }
        XCTAssertTrue(try session.handle(for: destination([local], port: 1)) === fresh)
        XCTAssertFalse(try session.handle(for: destination([local], port: 9999)) === fresh)
    }
}
