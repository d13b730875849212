/// Where a connection can wait for its socket without a thread of its own: typically the event loop
/// the calling task runs on. With one, `PostgresConnection.pipeline` sends from the calling thread
/// and resumes on it when the answers arrive, instead of handing the work to the connection's
/// thread and back, two thread wake-ups fewer per round trip.
public protocol PostgresSocketWaiter: Sendable {
    /// Whether the calling thread can wait here (it runs such a loop).
    var isAvailable: Bool { get }

    /// Suspends until `descriptor` is readable, hung up or in error, resuming on the same thread;
    /// returns false at once when the calling thread cannot wait here.
    func waitUntilReadable(_ descriptor: Int32) async -> Bool
}
