import Foundation
import JSON
import Logging
import Patchbay
import Postgres
import Synchronization
import TestSupport
import XCTest

/// Execution records and the PostgreSQL-backed queue, against a real server: the store's round trip,
/// tenant isolation and paging, and workers on separate pools (as separate nodes would be) draining,
/// recovering and giving up runs.
final class ExecutionQueueTests: XCTestCase {
    var testDatabase: TestDatabase!
    var database: Database { Database(pool: testDatabase.pool) }
    /// Extra pools, one per simulated node, closed after each test.
    private let pools = Mutex<[PostgresPool]>([])
    /// Workers started by the test, stopped after it.
    private let workers = Mutex<[ExecutionWorker]>([])
    let someone = ExecutionCreator(userID: nil, name: "Test runner")

    override func setUp() async throws {
        testDatabase = try await TestDatabase.create(poolSize: 6)
        try await testDatabase.migrate()
    }

    override func tearDown() async throws {
        for worker in workers.withLock({ $0 }) { await worker.stop(gracePeriod: .milliseconds(500)) }
        for pool in pools.withLock({ $0 }) { await pool.close() }
        await testDatabase?.drop()
    }

    /// A database on a pool of its own: what another node would have.
    func node(poolSize: Int = 4) throws -> Database {
        let pool = try PostgresPool(url: testDatabase.url, size: poolSize, logger: Logger(label: "test.node"))
        pools.withLock { $0.append(pool) }
        return Database(pool: pool)
    }

    /// A started worker on a pool of its own, named `nodeID`.
    func startWorker(
        _ nodeID: String, concurrency: Int = 4, lease: Duration = .milliseconds(300),
        poll: Duration = .milliseconds(50), poolSize: Int = 4,
        run: @escaping @Sendable (ClaimedExecution) async -> ExecutionOutcome
    ) async throws -> ExecutionWorker {
        let worker = ExecutionWorker(
            database: try node(poolSize: poolSize), nodeID: nodeID, concurrency: concurrency,
            leaseDuration: lease,
            pollInterval: poll, logger: Logger(label: "test.worker.\(nodeID)"), run: run)
        workers.withLock { $0.append(worker) }
        try await worker.start()
        return worker
    }

    func store(_ tenantID: UUID, syncLease: Duration = .seconds(900)) -> ExecutionStore {
        ExecutionStore(database: database, tenantID: tenantID, syncLease: syncLease)
    }

    /// A tenant with one installed connector, made with plain SQL in system scope.
    func tenantWithConnector(_ slug: String) async throws -> (tenant: UUID, connector: UUID) {
        let tenant = try await TestTenants.create(testDatabase, slug)
        return (tenant, try await connector(for: tenant, named: "\(slug) lookup"))
    }

    func connector(for tenant: UUID, named name: String) async throws -> UUID {
        try await database.system { connection in
            let catalog = try await connection.queryFirst(
                """
                INSERT INTO catalog_connectors
                    (key, owner_tenant_id, name, description, category, kind, provider, icon, auth_type,
                     status, docs_url)
                VALUES ('custom-' || substr(md5(random()::text), 1, 8), $1, 'Custom HTTP', '', 'custom', 'http',
                        'custom', 'http', 'none', 'stable', '')
                RETURNING id
                """, [tenant])!.decode("id", as: UUID.self)
            let version = try await connection.queryFirst(
                """
                INSERT INTO catalog_versions
                    (connector_id, owner_tenant_id, version, manifest, config_schema, auth_schema, checksum)
                VALUES ($1, $2, '1.0.0', '{}', '{}', '{}', 'x') RETURNING id
                """, [catalog, tenant])!.decode("id", as: UUID.self)
            return try await connection.queryFirst(
                """
                INSERT INTO connectors (tenant_id, catalog_id, catalog_version_id, name)
                VALUES ($1, $2, $3, $4) RETURNING id
                """, [tenant, catalog, version, name])!.decode("id", as: UUID.self)
        }
    }

    /// The execution `id` of `tenant`, which must exist.
    func record(_ id: UUID, of tenant: UUID) async throws -> ExecutionRecord {
        let record = try await store(tenant).get(id)
        return try XCTUnwrap(record, "execution \(id) of tenant \(tenant)")
    }

    /// Counts rows of `connector_executions` matching `condition` across tenants.
    func count(_ condition: String = "true", _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        try await database.system(readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT count(*) FROM connector_executions WHERE \(condition)", parameters)!.decode(
                    0, as: Int.self)
        }
    }

    /// The next notification, or nil after `timeout`.
    static func next(_ stream: AsyncStream<PostgresNotification>, within timeout: Duration) async
        -> PostgresNotification?
    {
        await withTaskGroup(of: PostgresNotification?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// A completed outcome whose mapped values say who ran it.
    static func completed(by node: String, _ execution: ClaimedExecution) -> ExecutionOutcome {
        ExecutionOutcome(
            status: .completed, httpStatus: 200,
            mapped: ["node": .string(node), "n": execution.input["n"] ?? .null], durationMs: 1, attempts: 1)
    }
}

/// Counts how many times each execution was run, and how many runs each node had going at once.
final class RunCounter: Sendable {
    private struct State {
        var runs: [UUID: Int] = [:]
        var active: [String: Int] = [:]
        var peak: [String: Int] = [:]
    }

    private let state = Mutex(State())

    func record(_ id: UUID) { state.withLock { $0.runs[id, default: 0] += 1 } }

    /// Records a run of `id` starting on `node`; call `leave(node)` when it ends.
    func record(_ id: UUID, on node: String) {
        state.withLock { state in
            state.runs[id, default: 0] += 1
            state.active[node, default: 0] += 1
            state.peak[node] = max(state.peak[node] ?? 0, state.active[node] ?? 0)
        }
    }

    func leave(_ node: String) { state.withLock { $0.active[node, default: 0] -= 1 } }

    var counts: [UUID: Int] { state.withLock { $0.runs } }

    /// The most runs `node` had going at once.
    func peak(_ node: String) -> Int { state.withLock { $0.peak[node] ?? 0 } }
}

/// A run that blocks until the test opens the gate, whatever cancellation says: a node that hangs
/// and then stops without finishing its run.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var arrivals = 0
    }

    private let state = Mutex(State())

    /// How many runs reached the gate.
    var arrivals: Int { state.withLock { $0.arrivals } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                state.arrivals += 1
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
