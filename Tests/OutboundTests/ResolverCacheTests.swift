import Synchronization
import XCTest

@testable import Outbound

final class ResolverCacheTests: XCTestCase {
    /// A resolver that counts its lookups and answers from a table the test changes.
    final class FakeDNS: Sendable {
        let table = Mutex<[String: [IPAddress]]>([:])
        let lookups = Mutex<[String]>([])
        let clock = Mutex<ContinuousClock.Instant>(.now)

        func set(_ host: String, _ addresses: [String]) {
            table.withLock { $0[host] = addresses.map { IPAddress($0)! } }
        }

        func advance(_ duration: Duration) { clock.withLock { $0 += duration } }

        var lookupCount: Int { lookups.withLock { $0.count } }

        func cache(lifetime: Duration, capacity: Int = 1024) -> ResolverCache {
            ResolverCache(
                lifetime: lifetime, capacity: capacity, now: { [self] in clock.withLock { $0 } },
                lookUp: { [self] host in
                    lookups.withLock { $0.append(host) }
                    guard let addresses = table.withLock({ $0[host.lowercased()] }) else {
                        throw OutboundError.dnsFailure(host: host)
                    }
                    return addresses
                })
        }
    }

    func testAnAnswerIsReusedUntilItExpires() throws {
        let dns = FakeDNS()
        dns.set("api.example.com", ["93.184.215.14"])
        let cache = dns.cache(lifetime: .seconds(30))
        XCTAssertEqual(try cache.resolve("api.example.com"), [IPAddress("93.184.215.14")!])
        dns.set("api.example.com", ["93.184.215.99"])
        dns.advance(.seconds(29))
        XCTAssertEqual(try cache.resolve("api.example.com"), [IPAddress("93.184.215.14")!])
        XCTAssertEqual(dns.lookupCount, 1)
        // Once the lifetime is over, the name is looked up again and the new answer kept.
        dns.advance(.seconds(2))
        XCTAssertEqual(try cache.resolve("api.example.com"), [IPAddress("93.184.215.99")!])
        XCTAssertEqual(try cache.resolve("api.example.com"), [IPAddress("93.184.215.99")!])
        XCTAssertEqual(dns.lookupCount, 2)
    }

    func testSpellingsOfOneNameShareTheirAnswer() throws {
        let dns = FakeDNS()
        dns.set("api.example.com", ["93.184.215.14"])
        let cache = dns.cache(lifetime: .seconds(30))
        _ = try cache.resolve("api.example.com")
        _ = try cache.resolve("API.Example.COM")
        _ = try cache.resolve("api.example.com.")
        XCTAssertEqual(dns.lookupCount, 1)
        XCTAssertEqual(cache.count, 1)
    }

    func testFailedLookupsAreNotKept() throws {
        let dns = FakeDNS()
        let cache = dns.cache(lifetime: .seconds(30))
        XCTAssertThrowsError(try cache.resolve("new.example.com")) { error in
            XCTAssertEqual(error as? OutboundError, .dnsFailure(host: "new.example.com"))
        }
        dns.set("new.example.com", ["93.184.215.14"])
        XCTAssertEqual(try cache.resolve("new.example.com"), [IPAddress("93.184.215.14")!])
        XCTAssertEqual(dns.lookupCount, 2)
    }

    func testALifetimeOfZeroKeepsNothing() throws {
        let dns = FakeDNS()
        dns.set("api.example.com", ["93.184.215.14"])
        let cache = dns.cache(lifetime: .zero)
        for _ in 0..<3 { _ = try cache.resolve("api.example.com") }
        XCTAssertEqual(dns.lookupCount, 3)
        XCTAssertEqual(cache.count, 0)
    }

    func testAFullCacheDropsExpiredAnswersFirstThenTheSoonestToExpire() throws {
        let dns = FakeDNS()
        for name in ["a", "b", "c", "d"] { dns.set("\(name).example.com", ["93.184.215.14"]) }
        let cache = dns.cache(lifetime: .seconds(10), capacity: 2)
        _ = try cache.resolve("a.example.com")
        dns.advance(.seconds(6))
        _ = try cache.resolve("b.example.com")
        dns.advance(.seconds(6))
        // a has expired, b has not: c takes a's place.
        _ = try cache.resolve("c.example.com")
        XCTAssertEqual(cache.count, 2)
        _ = try cache.resolve("b.example.com")
        XCTAssertEqual(dns.lookupCount, 3, "b is still kept")
        // Neither b nor c has expired: d pushes out b, which expires first.
        _ = try cache.resolve("d.example.com")
        XCTAssertEqual(cache.count, 2)
        _ = try cache.resolve("c.example.com")
        XCTAssertEqual(dns.lookupCount, 4, "c is still kept")
        _ = try cache.resolve("b.example.com")
        XCTAssertEqual(dns.lookupCount, 5, "b was dropped")
    }

    /// A kept answer is checked against each caller's policy: what one client may reach does not
    /// become reachable for a stricter one.
    func testKeptAnswersAreCheckedAgainstEveryCallersPolicy() throws {
        let dns = FakeDNS()
        dns.set("db.internal", ["10.0.0.7"])
        let network = OutboundNetwork.cached(dns.cache(lifetime: .seconds(30)))
        let permissive = try OutboundPolicy(allowList: "10.0.0.0/8")
        let allowed = try CheckedDestination.resolve(
            host: "db.internal", port: 5432, policy: permissive, network: network)
        XCTAssertEqual(allowed.addresses, [IPAddress("10.0.0.7")!])
        XCTAssertThrowsError(
            try CheckedDestination.resolve(
                host: "db.internal", port: 5432, policy: OutboundPolicy(), network: network)
        ) { error in
            XCTAssertEqual(
                error as? OutboundError,
                .addressNotAllowed(host: "db.internal", address: "10.0.0.7", reason: "private network"))
        }
        XCTAssertEqual(dns.lookupCount, 1, "the second check used the kept answer")
    }

    /// The system resolver behind a cache: `localhost` is looked up once, then remembered.
    func testTheSystemResolverIsCached() throws {
        let cache = ResolverCache.system(lifetime: .seconds(30))
        let first = try cache.resolve("localhost")
        XCTAssertFalse(first.isEmpty)
        XCTAssertEqual(cache.count, 1)
        XCTAssertEqual(try cache.resolve("LOCALHOST"), first)
    }
}
