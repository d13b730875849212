/// Where a transfer can wait for its sockets without a thread of its own: typically the event loop
/// the calling task runs on. With one, `OutboundHTTPClient.send` drives libcurl from the calling
/// thread and resumes on it when a socket is ready, instead of handing the transfer to a thread of
/// `TransferThreads` and back, two thread wake-ups fewer per request.
public protocol OutboundSocketWaiter: Sendable {
    /// Whether the calling thread can wait here (it runs such a loop).
    var isAvailable: Bool { get }

    /// Suspends until one of `sockets` is ready or `timeoutMilliseconds` have passed, resuming on
    /// the same thread.
    func wait(for sockets: [WatchedSocket], timeoutMilliseconds: Int) async -> SocketWaitResult
}

/// A socket a transfer waits for, and for what.
public struct WatchedSocket: Sendable, Equatable {
    public var descriptor: Int32
    public var readable: Bool
    public var writable: Bool

    public init(descriptor: Int32, readable: Bool, writable: Bool) {
        self.descriptor = descriptor
        self.readable = readable
        self.writable = writable
    }
}

/// How a wait of an `OutboundSocketWaiter` ended.
public enum SocketWaitResult: Sendable, Equatable {
    /// `descriptor` is ready: readable, writable, or in error or hung up (`failed`).
    case ready(descriptor: Int32, readable: Bool, writable: Bool, failed: Bool)
    /// The time given ran out first.
    case timedOut
    /// The calling thread cannot wait here (any more): the transfer is given up.
    case unavailable
}
