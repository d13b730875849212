import Logging
import Outbound
import XCTest

@testable import Patchbay

/// How `OutboundServices` is configured: the DNS cache's lifetime and its use by the HTTP client
/// and the prober.
final class OutboundServicesTests: XCTestCase {
    func testTheDNSCacheLifetimeComesFromTheEnvironment() throws {
        XCTAssertEqual(try OutboundServices.dnsCacheLifetime(from: [:]), .seconds(30))
        XCTAssertEqual(
            try OutboundServices.dnsCacheLifetime(from: ["PATCHBAY_DNS_CACHE_SECONDS": ""]), .seconds(30))
        XCTAssertEqual(
            try OutboundServices.dnsCacheLifetime(from: ["PATCHBAY_DNS_CACHE_SECONDS": "0"]), .zero)
        XCTAssertEqual(
            try OutboundServices.dnsCacheLifetime(from: ["PATCHBAY_DNS_CACHE_SECONDS": "300"]), .seconds(300))
        for bad in ["-1", "ten", "86401", "1.5"] {
            XCTAssertThrowsError(
                try OutboundServices.dnsCacheLifetime(from: ["PATCHBAY_DNS_CACHE_SECONDS": bad])
            ) {
                error in
                XCTAssertEqual(
                    (error as? AppError)?.message,
                    "PATCHBAY_DNS_CACHE_SECONDS must be a number of seconds from 0 to 86400.", bad)
            }
        }
    }

    /// The client and the prober look names up through the services' own cache.
    func testTheClientAndTheProberShareTheServicesCache() throws {
        let services = try OutboundServices(allowList: "", logger: Logger(label: "test"))
        XCTAssertEqual(services.resolverCache.lifetime, .seconds(30))
        _ = try services.client.network.resolve("localhost")
        XCTAssertEqual(services.resolverCache.count, 1)
        services.resolverCache.removeAll()
        _ = try services.prober.network.resolve("localhost")
        XCTAssertEqual(services.resolverCache.count, 1)

        let uncached = try OutboundServices(
            allowList: "", dnsCacheLifetime: .zero, logger: Logger(label: "test"))
        _ = try uncached.client.network.resolve("localhost")
        XCTAssertEqual(uncached.resolverCache.count, 0)
    }
}
