import Foundation
import Logging
import Patchbay
import Postgres
import TestSupport
import XCTest

/// The identity cache: signed-in requests skip the database, yet a change made on any node (or by
/// hand in SQL) stops an identity working at once here and within a second elsewhere.
final class IdentityCacheTests: XCTestCase {
    private var harness: TestEnvironment!
    private var tokens: APITokenService { APITokenService(environment: harness.environment) }
    private let request = RequestInfo(requestID: "req-cache", ip: "10.0.0.9")
    private var admin: Identity!

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
        let acme = try await harness.fixtures.tenant("acme")
        let user = try await harness.fixtures.member("admin@acme.test", of: acme, role: .admin)
        admin = try await harness.fixtures.identity(user, in: acme)
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    func testARepeatedLookupIsServedFromMemory() async throws {
        let created = try await tokens.create(
            name: "bot", role: .viewer, expiresInDays: nil, by: admin, request: request)
        let cachedBefore = harness.environment.identityCache.count
        let first = try await tokens.authenticate(secret: created.secret)
        XCTAssertNotNil(first)
        XCTAssertEqual(harness.environment.identityCache.count, cachedBefore + 1)
        // Changed behind the service's back, and no node here listens for the trigger's notification:
        // only the cache can still answer.
        try await expire(created.token.id)
        let cached = try await tokens.authenticate(secret: created.secret)
        XCTAssertEqual(cached?.tokenID, created.token.id)
        harness.environment.identityCache.invalidateAll()
        let afterInvalidation = try await tokens.authenticate(secret: created.secret)
        XCTAssertNil(afterInvalidation)
    }

    func testAChangeMadeOnThisNodeTakesEffectAtOnce() async throws {
        let created = try await tokens.create(
            name: "bot", role: .viewer, expiresInDays: nil, by: admin, request: request)
        let before = try await tokens.authenticate(secret: created.secret)
        XCTAssertNotNil(before)
        _ = try await tokens.revoke(id: created.token.id, admin, request: request)
        let after = try await tokens.authenticate(secret: created.secret)
        XCTAssertNil(after)
    }

    func testAnotherNodeHearsOfAChangeWithinASecond() async throws {
        let created = try await tokens.create(
            name: "bot", role: .viewer, expiresInDays: nil, by: admin, request: request)
        let otherPool = try PostgresPool(url: harness.database.url, size: 2, logger: Logger(label: "node-b"))
        let nodeB = try AppEnvironment(
            pool: otherPool, paths: harness.environment.paths, logger: Logger(label: "node-b"),
            masterKeys: MasterKeyConfiguration.ephemeral(), identity: .testing)
        let following = Task {
            await nodeB.identityCache.followChanges(pool: otherPool, logger: nodeB.logger)
        }
        defer { following.cancel() }
        let tokensB = APITokenService(environment: nodeB)
        let cachedOnB = try await tokensB.authenticate(secret: created.secret)
        XCTAssertNotNil(cachedOnB)
        try await Task.sleep(for: .milliseconds(200))  // the listener subscribes

        let revokedAt = ContinuousClock.now
        _ = try await tokens.revoke(id: created.token.id, admin, request: request)
        var seenOnB = cachedOnB
        while seenOnB != nil, ContinuousClock.now - revokedAt < .seconds(3) {
            seenOnB = try await tokensB.authenticate(secret: created.secret)
            if seenOnB != nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        XCTAssertNil(seenOnB, "node B must stop accepting the revoked token")
        XCTAssertLessThan(ContinuousClock.now - revokedAt, .seconds(1))
        following.cancel()
        await otherPool.close()
    }

    func testRoutineTouchesStaySilentAndRealChangesNotify() async throws {
        let changes = try await harness.environment.pool.listen(IdentityCache.channel)
        let user = try await harness.fixtures.user("dev@acme.test")
        let session = try await harness.fixtures.session(for: user, in: nil)
        // A touch moves last_seen_at and idle expiry later: no one's identity changes.
        try await harness.environment.database.system { connection in
            try await connection.execute(
                """
                UPDATE sessions SET last_seen_at = now(), idle_expires_at = idle_expires_at + interval '1 minute',
                    absolute_expires_at = absolute_expires_at
                WHERE id = $1
                """, [session.id])
            try await connection.execute("DELETE FROM sessions WHERE id = $1", [session.id])
        }
        var iterator = changes.makeAsyncIterator()
        let first = await iterator.next()
        XCTAssertEqual(first?.payload, "sessions", "the delete notifies, the touch did not")
        try await harness.environment.database.system { connection in
            try await connection.execute("UPDATE users SET name = 'Renamed' WHERE id = $1", [user.id])
        }
        let second = await iterator.next()
        XCTAssertEqual(second?.payload, "users")
    }

    func testAnEntryNeverOutlivesItsToken() async throws {
        let created = try await tokens.create(
            name: "bot", role: .viewer, expiresInDays: 1, by: admin, request: request)
        try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE api_tokens SET expires_at = now() + interval '700 milliseconds' WHERE id = $1",
                [created.token.id])
        }
        harness.environment.identityCache.invalidateAll()
        let fresh = try await tokens.authenticate(secret: created.secret)
        XCTAssertNotNil(fresh)
        try await Task.sleep(for: .milliseconds(900))
        let expired = try await tokens.authenticate(secret: created.secret)
        XCTAssertNil(expired, "the cache honours the token's own expiry, not only its TTL")
    }

    func testAZeroTTLTurnsCachingOff() async throws {
        let cache = IdentityCache(ttl: .zero)
        var loads = 0
        for _ in 0..<3 {
            _ = try await cache.identity(forTokenHash: "h") {
                loads += 1
                return (self.admin, Date.distantFuture)
            }
        }
        XCTAssertEqual(loads, 3)
        XCTAssertEqual(cache.count, 0)
    }

    private func expire(_ tokenID: UUID) async throws {
        try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [tokenID])
        }
    }
}
