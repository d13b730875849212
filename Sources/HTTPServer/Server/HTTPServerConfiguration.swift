#if canImport(Glibc)
    import Glibc
#endif

/// Everything the server can be told: where to listen, how many loops, and its limits.
public struct HTTPServerConfiguration: Sendable {
    /// Numeric IPv4/IPv6 address to bind (`127.0.0.1`, `0.0.0.0`, `::`); `localhost` works too.
    public var host: String
    /// Port to bind; 0 picks a free one (``HTTPServer/start()`` returns it).
    public var port: Int
    /// Event loop threads; each has its own listening socket (SO_REUSEPORT).
    public var workers: Int
    /// Largest request body (fixed or chunked) → 413 and close.
    public var maxBodySize: Int
    /// Longest request line → 414.
    public var maxRequestLineSize: Int
    /// Largest header section → 431.
    public var maxHeaderSize: Int
    /// Most header fields in one request → 431.
    public var maxHeaderCount: Int
    /// Time allowed to receive a whole head (and between body bytes) → 408 and close.
    public var headerTimeout: Duration
    /// How long a keep-alive connection may sit idle before it is closed silently.
    public var idleTimeout: Duration
    /// Open connections beyond this are answered 503 and closed.
    public var maxConnections: Int
    /// How long ``HTTPServer/shutdown()`` waits for in-flight requests before closing everything.
    public var shutdownGracePeriod: Duration
    /// Stop reading pipelined requests while this many response bytes wait to be sent.
    public var outputHighWaterMark: Int
    /// listen(2) backlog.
    public var backlog: Int32
    /// Answers the requests the server refuses by itself (see ``RefusedRequest``); nil answers
    /// them in plain text.
    public var refusalResponder: RefusalResponder? = nil

    public init(
        host: String = "127.0.0.1", port: Int = 8080, workers: Int? = nil, maxBodySize: Int = 1 << 20,
        maxRequestLineSize: Int = 8192, maxHeaderSize: Int = 16384, maxHeaderCount: Int = 100,
        headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60),
        maxConnections: Int = 10_000, shutdownGracePeriod: Duration = .seconds(10),
        outputHighWaterMark: Int = 256 * 1024, backlog: Int32 = 1024
    ) {
        self.host = host
        self.port = port
        self.workers = max(1, workers ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        self.maxBodySize = maxBodySize
        self.maxRequestLineSize = maxRequestLineSize
        self.maxHeaderSize = maxHeaderSize
        self.maxHeaderCount = maxHeaderCount
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.shutdownGracePeriod = shutdownGracePeriod
        self.outputHighWaterMark = outputHighWaterMark
        self.backlog = backlog
    }

    var parserLimits: ParserLimits {
        ParserLimits(
            maxRequestLineSize: maxRequestLineSize, maxHeaderSize: maxHeaderSize,
            maxHeaderCount: maxHeaderCount, maxBodySize: maxBodySize)
    }
}

extension Duration {
    var milliseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1000 + UInt64(max(0, attoseconds)) / 1_000_000_000_000_000
    }
}
