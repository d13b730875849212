import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Patchbay
import PatchbayWeb
import Postgres

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web UI and the JSON API until SIGTERM or SIGINT.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var limits: ServeLimits
    @OptionGroup var queue: WorkerOptions

    @Flag(help: "Run no queued executions on this node (env: PATCHBAY_EXECUTION_WORKER=0).")
    var noWorker = false

    @Option(help: "Address to listen on (env: PATCHBAY_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env: PATCHBAY_PORT; default 8080).")
    var port: Int?

    @Option(help: "Event-loop threads (env: PATCHBAY_WORKERS; default: one per core).")
    var workers: Int?

    @Option(help: "PostgreSQL connections in the pool (env: PATCHBAY_DB_POOL_SIZE; default 10).")
    var poolSize: Int?

    @Option(
        help: """
            Seconds between two looks for due health checks; 0 runs none on this node \
            (env: PATCHBAY_HEALTH_CHECK_INTERVAL; default 30).
            """)
    var healthCheckInterval: Double?

    @Option(
        help: """
            Failed health checks in a row that put a connector in error \
            (env: PATCHBAY_HEALTH_CHECK_FAILURES; default 3).
            """)
    var healthCheckFailures: Int?

    func run() async throws {
        let logger = try common.makeLogger("patchbay")
        defer { LogOutput.flush() }
        let env = common.environment
        let paths = ProjectPaths(root: common.resolvedRoot())
        let pool = try PostgresPool(
            url: try common.resolvedDatabaseURL(),
            size: poolSize ?? env["PATCHBAY_DB_POOL_SIZE"].flatMap(Int.init) ?? 10,
            acquireTimeout: try limits.acquireTimeout(env), logger: Logger(label: "patchbay.db"),
            socketWaiter: EventLoopSocketWaiter())
        let environment = try common.makeEnvironment(pool: pool, logger: logger)
        let views = try loadViews(paths: paths, logger: logger)
        var app = try PatchbayApp(
            environment: environment, views: views,
            readiness: try Readiness(pool: pool, migrationsDirectory: paths.migrations),
            web: WebSettings(publicURL: env["PATCHBAY_PUBLIC_URL"]),
            connectorListCache: ConnectorListCache(
                maxAge: .seconds(
                    env["PATCHBAY_LIST_CACHE_SECONDS"].flatMap(Int.init).map { max(0, $0) } ?? 30)))
        app.healthChecks = try healthCheckSettings(env)
        if let warning = try? await environment.database.rowSecurityWarning() {
            logger.warning("\(warning)")
        }

        var configuration = HTTPServerConfiguration(
            host: host ?? env["PATCHBAY_HOST"] ?? "127.0.0.1",
            port: port ?? env["PATCHBAY_PORT"].flatMap(Int.init) ?? 8080,
            workers: workers ?? env["PATCHBAY_WORKERS"].flatMap(Int.init))
        try limits.apply(to: &configuration, env)
        configuration.refusalResponder = RefusalResponses.responder(maxBodySize: configuration.maxBodySize)
        let server = HTTPServer(configuration: configuration, router: app.makeRouter(), logger: logger)
        let background = app.startBackgroundWork()
        let executionWorker =
            noWorker || env["PATCHBAY_EXECUTION_WORKER"] == "0"
            ? nil : try await queue.startWorker(app.executions, env)
        let bound = try await server.start()
        logger.notice("listening", metadata: ["url": "http://\(configuration.host):\(bound)"])
        LogOutput.write("Patchbay is listening on http://\(configuration.host):\(bound)\n")
        LogOutput.flush()
        try await server.runUntilShutdownSignal()
        // Runs in flight finish (or go back to the queue) while the pool is still open.
        await executionWorker?.stop()
        background.cancel()
        await pool.close()
    }

    private func healthCheckSettings(_ env: [String: String]) throws -> HealthCheckSettings {
        let seconds = try ServeLimits.value(
            healthCheckInterval, env, "PATCHBAY_HEALTH_CHECK_INTERVAL", default: 30, minimum: 0)
        return HealthCheckSettings(
            pollInterval: .milliseconds(Int64((seconds * 1000).rounded())),
            failureThreshold: try ServeLimits.value(
                healthCheckFailures, env, "PATCHBAY_HEALTH_CHECK_FAILURES", default: 3, minimum: 1))
    }

    private func loadViews(paths: ProjectPaths, logger: Logger) throws -> Views {
        let isDevelopment = common.environment["PATCHBAY_DEV"] == "1"
        return try Views(directory: paths.templates, reloadsOnChange: isDevelopment, logger: logger)
    }
}
