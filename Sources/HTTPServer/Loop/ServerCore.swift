import Logging
import Synchronization

/// What every event loop of one server shares: configuration, the responder, the logger, and
/// the count of open connections (for the connection cap and for shutdown).
final class ServerCore: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: ServerResponder
    let logger: Logger
    let connectionCount = Atomic<Int>(0)
    /// Distinguishes this server's request IDs from another node's.
    let tag = UInt32.random(in: 0...UInt32.max)
    let limits: ParserLimits
    let headerTimeout: UInt64
    let idleTimeout: UInt64
    /// Lingering close: how long to drain a peer's input after our final response.
    let lingerTimeout: UInt64 = 2000

    init(configuration: HTTPServerConfiguration, responder: @escaping ServerResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.limits = configuration.parserLimits
        self.headerTimeout = max(1, configuration.headerTimeout.milliseconds)
        self.idleTimeout = max(1, configuration.idleTimeout.milliseconds)
    }

    /// How often each loop checks deadlines: often enough for short test timeouts, rarely
    /// enough to cost nothing under load.
    var sweepInterval: UInt64 {
        min(250, max(5, min(headerTimeout, idleTimeout) / 8))
    }
}
