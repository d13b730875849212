#if canImport(Glibc)
    import Glibc
#endif

/// One client connection: reads bytes into its parser, hands each complete request to the
/// responder (one at a time, so pipelined requests are answered in order), writes responses,
/// and enforces the timeouts.
///
/// `@unchecked Sendable`: it wraps a socket descriptor and is touched only on its event loop's
/// thread; the handler task that captures it hands the response back through
/// ``EventLoop/execute(_:)``, which runs on that thread.
final class Connection: @unchecked Sendable {
    enum Phase {
        /// Between requests: nothing of the next request received yet.
        case idle
        /// Part of a request received.
        case reading
        /// A request is with the responder.
        case processing
        /// Final response sent and write side shut; draining input until the peer closes.
        case lingering
        case closed
    }

    let fd: Int32
    let generation: UInt32
    let loop: EventLoop
    let remoteAddress: String
    var parser: RequestParser
    var output = OutputBuffer()
    var phase = Phase.idle
    /// When the current phase began (for `.reading`: the first byte of the request).
    var phaseStart: UInt64
    /// Last time bytes moved either way.
    var lastProgress: UInt64
    var handledRequests = 0
    var inputClosed = false
    var closeAfterFlush = false
    var lingerDeadline: UInt64 = 0
    var interest = LinuxAPI.epollIn
    /// About the request being processed.
    var current = ResponseEncoder.Options(isHeadRequest: false, close: false, confirmKeepAlive: false)

    /// Pipelined bytes buffered while a request is processed before reading pauses.
    static let pipelineBufferLimit = 64 * 1024

    init(fd: Int32, loop: EventLoop, remoteAddress: String) {
        self.fd = fd
        self.loop = loop
        self.remoteAddress = remoteAddress
        self.generation = loop.nextConnectionGeneration()
        self.parser = RequestParser(limits: loop.core.limits)
        self.phaseStart = loop.now
        self.lastProgress = loop.now
    }

    var token: UInt64 { UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd)) }

    func handle(events: UInt32) {
        if events & LinuxAPI.epollOut != 0 { flushOutput() }
        guard phase != .closed else { return }
        if events & (LinuxAPI.epollIn | LinuxAPI.epollHup | LinuxAPI.epollErr) != 0 { readInput() }
    }

    private func readInput() {
        let count = read(fd, loop.readBuffer.baseAddress, loop.readBuffer.count)
        if count > 0 {
            lastProgress = loop.now
            if phase == .lingering { return }
            parser.append(UnsafeRawBufferPointer(rebasing: loop.readBuffer[..<count]))
            if phase == .idle {
                phase = .reading
                phaseStart = loop.now
            }
            processInput()
            updateInterest()
        } else if count == 0 {
            inputClosed = true
            switch phase {
            case .processing:
                updateInterest()
            case .idle, .reading, .lingering, .closed:
                // An unfinished request can never be answered now; a pending response can be.
                if output.isEmpty { close() } else { closeAfterFlush = true; updateInterest() }
            }
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            close()
        }
    }

    /// Parses and dispatches the next request, if one is complete and the output is not
    /// backed up.
    func processInput() {
        while phase == .idle || phase == .reading {
            guard !closeAfterFlush, output.count <= loop.core.configuration.outputHighWaterMark else {
                return
            }
            switch parser.next() {
            case .needMoreData:
                if parser.isMidRequest && phase == .idle {
                    phase = .reading
                    phaseStart = loop.now
                }
                return
            case .sendContinue:
                guard write(ResponseEncoder.continueResponse, body: []) else { return }
            case .request(let request, let keepAlive):
                dispatch(request, keepAlive: keepAlive)
                return
            case .failure(let status):
                fail(status)
                return
            }
        }
    }

    /// Answers a request the parser refused (or that timed out), then closes.
    func fail(_ status: HTTPStatus) {
        phase = .idle
        closeAfterFlush = true
        let bytes = loop.refusal(status, path: parser.pathInProgress, remoteAddress: remoteAddress)
        if write(bytes, body: []) { afterWrite() }
    }

    func checkDeadline() {
        let now = loop.now
        let core = loop.core
        if !output.isEmpty && now &- lastProgress > core.idleTimeout {
            close()
            return
        }
        switch phase {
        case .idle:
            let limit = handledRequests == 0 ? core.headerTimeout : core.idleTimeout
            if output.isEmpty && (loop.isDraining || now &- phaseStart > limit) { close() }
        case .reading:
            let start = parser.isReadingHead ? phaseStart : lastProgress
            if now &- start > core.headerTimeout { fail(.requestTimeout) }
        case .lingering:
            if now > lingerDeadline { close() }
        case .processing, .closed:
            break
        }
    }

    /// On shutdown: close now if nothing is under way, else after the current response.
    func closeIfIdle() {
        if phase == .lingering {
            close()
        } else if phase == .idle && !parser.isMidRequest {
            if output.isEmpty { close() } else { closeAfterFlush = true }
        }
    }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        Glibc.close(fd)
        loop.forget(self)
    }
}
