import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Patchbay
import Postgres

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued executions, without the web server, until SIGTERM or SIGINT.",
        discussion: """
            Any number of workers and `serve` nodes can share one database: each queued execution \
            runs on one of them. On SIGTERM the runs in flight finish (or, after 10 seconds, go back \
            to the queue for another node).
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var queue: WorkerOptions

    @Option(help: "PostgreSQL connections in the pool (env: PATCHBAY_DB_POOL_SIZE; default 10).")
    var poolSize: Int?

    func run() async throws {
        let logger = try common.makeLogger("patchbay.worker")
        defer { LogOutput.flush() }
        let env = common.environment
        // Signals are caught from here on, so a SIGTERM during start-up still stops cleanly.
        let signals = try SignalWaiter()
        let pool = try PostgresPool(
            url: try common.resolvedDatabaseURL(),
            size: poolSize ?? env["PATCHBAY_DB_POOL_SIZE"].flatMap(Int.init) ?? 10,
            logger: Logger(label: "patchbay.db"))
        let environment = try common.makeEnvironment(pool: pool, logger: logger)
        let catalog = try CatalogService.make(
            database: environment.database, paths: environment.paths, logger: logger)
        let executions = ExecutionService(
            connectors: ConnectorService(environment: environment, catalog: catalog))
        let worker = try await queue.startWorker(executions, env)
        logger.notice("running queued executions", metadata: ["node": "\(worker.nodeID)"])
        LogOutput.write("Patchbay worker \(worker.nodeID) is running queued executions\n")
        LogOutput.flush()
        let signal = await signals.wait()
        logger.info("stopping", metadata: ["signal": "\(signal.map(String.init) ?? "-")"])
        await worker.stop()
        await pool.close()
        let statistics = worker.statistics
        logger.notice(
            "stopped",
            metadata: ["claimed": "\(statistics.claimed)", "recorded": "\(statistics.recorded)"])
    }
}
