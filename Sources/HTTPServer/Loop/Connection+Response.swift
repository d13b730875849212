#if canImport(Glibc)
    import Glibc
#endif

extension Connection {
    /// Starts the handler task for a request. The task prefers this connection's loop as its
    /// executor, so a handler that does not suspend runs to completion on this thread.
    func dispatch(_ request: HTTPRequest, keepAlive: Bool) {
        phase = .processing
        current = ResponseEncoder.Options(
            isHeadRequest: request.method == .head, close: !keepAlive,
            confirmKeepAlive: keepAlive && request.version == .http1_0)
        loop.requestCounter &+= 1
        let core = loop.core
        let source = RequestContextSource(
            remoteAddress: remoteAddress, logger: core.logger, serverTag: core.tag, loopIndex: loop.index,
            requestNumber: loop.requestCounter)
        let responder = core.responder
        let loop = self.loop
        Task(executorPreference: loop) {
            let response = await responder(request, source)
            loop.execute { self.respond(response) }
        }
        updateInterest()
    }

    /// Writes the response to the request being processed (dropped if the connection closed
    /// meanwhile), then moves on to the next pipelined request.
    func respond(_ response: HTTPResponse) {
        guard phase == .processing else { return }
        handledRequests += 1
        var options = current
        options.close =
            options.close || inputClosed || loop.isDraining || ResponseEncoder.requestsClose(response)
        loop.headScratch.removeAll(keepingCapacity: true)
        let sendBody = ResponseEncoder.encodeHead(
            response, into: &loop.headScratch, dateLine: loop.dateCache.line, options: options)
        phase = .idle
        phaseStart = loop.now
        if options.close { closeAfterFlush = true }
        if write(loop.headScratch, body: sendBody ? response.body : []) { afterWrite() }
    }

    /// Sends head and body with one gathered write; whatever the socket does not take is
    /// queued. Returns false if the connection broke (and is now closed).
    func write(_ head: [UInt8], body: [UInt8]) -> Bool {
        guard output.isEmpty else {
            output.append(head)
            output.append(body)
            return true
        }
        let written = head.withUnsafeBytes { headBytes in
            body.withUnsafeBytes { Socket.send(fd, headBytes, $0) }
        }
        guard written >= 0 else {
            close()
            return false
        }
        if written < head.count {
            output.append(Array(head[written...]))
            output.append(body)
        } else {
            output.append(body, from: written - head.count)
        }
        if written > 0 { lastProgress = loop.now }
        return true
    }

    func flushOutput() {
        let before = output.count
        guard output.flush(to: fd) else {
            close()
            return
        }
        if output.count < before { lastProgress = loop.now }
        afterWrite()
    }

    /// After a write: close when the final response is out, else resume parsing if the output
    /// has room again.
    func afterWrite() {
        guard phase != .closed else { return }
        if output.isEmpty && closeAfterFlush {
            if inputClosed { close() } else { startLingering() }
            return
        }
        processInput()
        updateInterest()
    }

    /// Shuts the write side and drains input for a while before closing, so the peer reads our
    /// final response instead of a reset caused by request bytes we never read.
    private func startLingering() {
        shutdown(fd, Int32(SHUT_WR))
        phase = .lingering
        lingerDeadline = loop.now + loop.core.lingerTimeout
        updateInterest()
    }

    func updateInterest() {
        guard phase != .closed else { return }
        let canParse =
            (phase == .idle || phase == .reading) && !closeAfterFlush
            && output.count <= loop.core.configuration.outputHighWaterMark
        let wantRead =
            !inputClosed
            && (phase == .lingering || canParse || parser.bufferedCount < Self.pipelineBufferLimit)
        var mask: UInt32 = wantRead ? LinuxAPI.epollIn : 0
        if !output.isEmpty { mask |= LinuxAPI.epollOut }
        guard mask != interest else { return }
        interest = mask
        do {
            try loop.epoll.modify(fd, events: mask, token: token)
        } catch {
            close()
        }
    }
}
