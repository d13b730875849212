import Foundation
import JSON
import Logging
import Postgres
import TestSupport
import XCTest

@testable import Patchbay

/// The Installed list is kept in memory per tenant; changes made here or on another node show up.
final class ConnectorListCacheTests: XCTestCase {
    private var harness: TestEnvironment!

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    func testAChangeOnAnotherNodeReachesThisNodesList() async throws {
        let catalog = try await ConnectorFixtures.catalog(harness.environment, keys: ["openai"])
        let acme = try await harness.fixtures.tenant("acme")
        let owner = try await harness.fixtures.identity(
            try await harness.fixtures.member("owner@acme.test", of: acme, role: .owner), in: acme)
        // Two nodes: each its own service and cache, one database.
        let here = ConnectorService(environment: harness.environment, catalog: catalog)
        let there = ConnectorService(environment: harness.environment, catalog: catalog)
        let cache = here.listCache
        let pool = harness.database.pool
        let following = Task { await cache.followChanges(pool: pool, logger: Logger(label: "test")) }
        defer { following.cancel() }
        try await Task.sleep(for: .milliseconds(200))  // the LISTEN is in place

        let empty = try await here.listing(ConnectorFilter(), owner)
        XCTAssertEqual(empty.page.total, 0)
        let again = try await here.listing(ConnectorFilter(), owner)
        XCTAssertEqual(again.stamp, empty.stamp, "a second read is served from memory")

        let installed = try await there.install(
            ConnectorFixtures.openAI("Remote"), owner, request: .commandLine)
        var seen = 0
        for _ in 0..<50 where seen == 0 {
            seen = try await here.listing(ConnectorFilter(), owner).page.total
            if seen == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        XCTAssertEqual(seen, 1, "the notification invalidated this node's copy")

        _ = try await here.setStatus(id: installed.id, to: .active, owner, request: .commandLine)
        let local = try await here.listing(ConnectorFilter(), owner)
        XCTAssertEqual(local.page.connectors.first?.status, .active, "a change here shows at once")
    }

    func testAReadThatRacedAChangeIsNotKept() throws {
        let cache = ConnectorListCache()
        let tenant = UUID()
        let filter = ConnectorFilter()
        let page = ConnectorPage(connectors: [], total: 0, limit: 50, offset: 0)
        let facets = ConnectorFacets(total: 0, statusCounts: [:], categories: [])
        let generation = cache.generation(tenant)
        cache.invalidate(tenant)  // a change commits while the read is running
        _ = cache.store(tenant, filter, page: page, facets: facets, generation: generation)
        XCTAssertNil(cache.lookup(tenant, filter), "the stale read must not be served")
        _ = cache.store(tenant, filter, page: page, facets: facets, generation: cache.generation(tenant))
        XCTAssertNotNil(cache.lookup(tenant, filter))
        let expiring = ConnectorListCache(maxAge: .zero)
        _ = expiring.store(
            tenant, filter, page: page, facets: facets, generation: expiring.generation(tenant))
        XCTAssertNil(expiring.lookup(tenant, filter), "nothing older than maxAge")
        let before = cache.generation(tenant)
        cache.invalidateAll()  // a catalog change
        _ = cache.store(tenant, filter, page: page, facets: facets, generation: before)
        XCTAssertNil(cache.lookup(tenant, filter), "a read that raced a catalog change is not kept either")
    }

    func testPastMaxAgeOneReaderRefreshesWhileTheOthersGetTheOldPageForAWhile() async throws {
        let cache = ConnectorListCache(maxAge: .milliseconds(100), refreshGrace: .milliseconds(300))
        let (tenant, filter) = (UUID(), ConnectorFilter())
        let page = ConnectorPage(connectors: [], total: 0, limit: 50, offset: 0)
        let facets = ConnectorFacets(total: 0, statusCounts: [:], categories: [])
        let old = cache.store(
            tenant, filter, page: page, facets: facets, generation: cache.generation(tenant))
        XCTAssertEqual(cache.lookup(tenant, filter)?.stamp, old.stamp)
        try await Task.sleep(for: .milliseconds(120))
        XCTAssertNil(cache.lookup(tenant, filter), "the first reader past maxAge reads the page again")
        XCTAssertEqual(
            cache.lookup(tenant, filter)?.stamp, old.stamp, "the others get the old page meanwhile")
        let fresh = cache.store(
            tenant, filter, page: page, facets: facets, generation: cache.generation(tenant))
        XCTAssertEqual(cache.lookup(tenant, filter)?.stamp, fresh.stamp)

        // A refresh that never stores: after the grace, another reader tries.
        try await Task.sleep(for: .milliseconds(120))
        XCTAssertNil(cache.lookup(tenant, filter))
        XCTAssertEqual(cache.lookup(tenant, filter)?.stamp, fresh.stamp)
        try await Task.sleep(for: .milliseconds(320))
        XCTAssertNil(cache.lookup(tenant, filter), "no page is served past maxAge and the grace")
        XCTAssertNil(cache.lookup(tenant, filter))
        // A change still drops the page at once, expired or not.
        let again = cache.store(
            tenant, filter, page: page, facets: facets, generation: cache.generation(tenant))
        cache.invalidate(tenant)
        XCTAssertNil(cache.lookup(tenant, filter))
        XCTAssertNotEqual(again.stamp, fresh.stamp)
    }
}
