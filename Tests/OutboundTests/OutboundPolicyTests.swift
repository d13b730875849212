import XCTest

@testable import Outbound

final class OutboundPolicyTests: XCTestCase {
    /// Address, allow-list, expected verdict (nil = allowed, else the reason refused).
    let table: [(String, String, BlockedReason?)] = [
        // Public addresses pass with any allow-list.
        ("8.8.8.8", "", nil),
        ("93.184.215.14", "10.0.0.0/8", nil),
        ("2606:4700:4700::1111", "", nil),
        // Loopback.
        ("127.0.0.1", "", .loopback),
        ("127.255.255.254", "", .loopback),
        ("::1", "", .loopback),
        ("127.0.0.1", "127.0.0.1", nil),
        ("127.0.0.2", "127.0.0.1", .loopback),
        ("127.0.0.2", "127.0.0.0/8", nil),
        ("::1", "::1", nil),
        ("::1", "127.0.0.1", .loopback),
        // Private blocks, at their edges.
        ("10.0.0.0", "", .privateNetwork),
        ("10.255.255.255", "", .privateNetwork),
        ("11.0.0.0", "", nil),
        ("9.255.255.255", "", nil),
        ("172.15.255.255", "", nil),
        ("172.16.0.0", "", .privateNetwork),
        ("172.31.255.255", "", .privateNetwork),
        ("172.32.0.0", "", nil),
        ("192.168.0.1", "", .privateNetwork),
        ("192.169.0.1", "", nil),
        ("fc00::1", "", .privateNetwork),
        ("fdff:ffff::1", "", .privateNetwork),
        ("fe00::1", "", nil),
        ("10.1.2.3", "10.0.0.0/8", nil),
        ("10.1.2.3", "10.1.2.0/24", nil),
        ("10.1.3.0", "10.1.2.0/24", .privateNetwork),
        ("fd12::5", "fd12::/16", nil),
        // Link-local and metadata.
        ("169.254.0.1", "", .linkLocal),
        ("169.254.169.254", "", .cloudMetadata),
        ("169.254.169.254", "169.254.0.0/16", nil),
        ("fd00:ec2::254", "", .cloudMetadata),
        ("fe80::1", "", .linkLocal),
        ("febf:ffff::1", "", .linkLocal),
        ("fec0::1", "", .privateNetwork),
        // Unspecified, multicast, broadcast, reserved, CGNAT.
        ("0.0.0.0", "", .unspecified),
        ("0.1.2.3", "", .reserved),
        ("::", "", .unspecified),
        ("224.0.0.1", "", .multicast),
        ("239.255.255.255", "", .multicast),
        ("ff02::1", "", .multicast),
        ("255.255.255.255", "", .broadcast),
        ("240.0.0.1", "", .reserved),
        ("100.64.0.1", "", .sharedAddressSpace),
        ("100.127.255.255", "", .sharedAddressSpace),
        ("100.128.0.0", "", nil),
        ("100.63.255.255", "", nil),
        // IPv6 forms carrying an IPv4 address are judged by it, and allow-listed through it.
        ("::ffff:127.0.0.1", "", .loopback),
        ("::ffff:7f00:1", "", .loopback),
        ("::ffff:10.0.0.1", "", .privateNetwork),
        ("::ffff:169.254.169.254", "", .cloudMetadata),
        ("::ffff:8.8.8.8", "", nil),
        ("::ffff:127.0.0.1", "127.0.0.1", nil),
        ("::127.0.0.1", "", .loopback),
        ("64:ff9b::10.0.0.1", "", .privateNetwork),
        ("64:ff9b::a9fe:a9fe", "", .cloudMetadata),
        ("64:ff9b::8.8.8.8", "", nil),
        ("64:ff9b:1::1", "", .privateNetwork),
        ("2002:7f00:1::", "", .loopback),
        ("2002:0808:0808::", "", nil),
    ]

    func testVerdictTable() throws {
        for (text, allow, expected) in table {
            let address = try XCTUnwrap(IPAddress(text), text)
            let verdict = try OutboundPolicy(allowList: allow).decision(for: address)
            XCTAssertEqual(
                verdict, expected.map { .refused($0) } ?? .allowed, "\(text) with allow-list '\(allow)'")
        }
    }

    func testEveryBlockedEntryParses() {
        XCTAssertEqual(BlockedRanges.table.count, BlockedRanges.entries.count)
    }

    func testHostNameEntries() throws {
        let policy = try OutboundPolicy(allowList: "Redis.Internal., *.corp.test 192.168.1.0/24")
        XCTAssertEqual(policy.allowList.count, 3)
        let privateAddress = IPAddress("10.0.0.7")!
        XCTAssertEqual(policy.decision(for: privateAddress, host: "redis.internal"), .allowed)
        XCTAssertEqual(policy.decision(for: privateAddress, host: "REDIS.INTERNAL."), .allowed)
        XCTAssertEqual(policy.decision(for: privateAddress, host: "db.corp.test"), .allowed)
        XCTAssertEqual(policy.decision(for: privateAddress, host: "corp.test"), .refused(.privateNetwork))
        XCTAssertEqual(
            policy.decision(for: privateAddress, host: "other.internal"), .refused(.privateNetwork))
        XCTAssertEqual(policy.decision(for: privateAddress), .refused(.privateNetwork))
        XCTAssertEqual(policy.decision(for: IPAddress("192.168.1.9")!, host: "anything"), .allowed)
    }

    func testMalformedAllowListIsReported() {
        for bad in ["10.0.0.0/33", "::1/129", "host name with spaces!", "a*b.test", "10.0.0.0/x"] {
            XCTAssertThrowsError(try OutboundPolicy(allowList: bad), bad) { error in
                guard case .invalidConfiguration = error as? OutboundError else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(try OutboundPolicy(allowList: " , ,").allowList, [])
    }

    func testAddressParsingAndFormatting() {
        XCTAssertEqual(IPAddress("127.0.0.1"), .v4(0x7F00_0001))
        XCTAssertEqual(IPAddress("[::1]")?.description, "::1")
        XCTAssertEqual(IPAddress("::FFFF:127.0.0.1")?.description, "::ffff:127.0.0.1")
        XCTAssertEqual(IPAddress("::ffff:127.0.0.1")?.ipv4Mapped, .v4(0x7F00_0001))
        for notAnAddress in ["127.1", "0x7f000001", "2130706433", "1.2.3.4.5", "::g", "", "localhost"] {
            XCTAssertNil(IPAddress(notAnAddress), notAnAddress)
        }
        XCTAssertEqual(IPNetwork("10.1.2.3/8")?.description, "10.0.0.0/8")
        XCTAssertEqual(IPNetwork("fe80::1/10")?.description, "fe80::/10")
        XCTAssertFalse(IPNetwork("10.0.0.0/8")!.contains(IPAddress("::ffff:10.0.0.1")!))
        XCTAssertTrue(IPNetwork("0.0.0.0/0")!.contains(IPAddress("8.8.8.8")!))
    }

    /// A name that resolves to both a public and an internal address is refused as a whole.
    func testMixedAnswersAreRefused() throws {
        let network = OutboundNetwork(resolve: { _ in [IPAddress("93.184.215.14")!, IPAddress("10.0.0.1")!] })
        XCTAssertThrowsError(
            try CheckedDestination.resolve(
                host: "mixed.test", port: 80, policy: OutboundPolicy(), network: network)
        ) { error in
            XCTAssertEqual(
                error as? OutboundError,
                .addressNotAllowed(host: "mixed.test", address: "10.0.0.1", reason: "private network"))
        }
    }
}
