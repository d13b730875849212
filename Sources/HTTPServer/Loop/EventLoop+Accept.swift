#if canImport(Glibc)
    import Glibc
#endif

extension EventLoop {
    /// Accepts everything pending on the listener. Beyond the connection cap a connection is
    /// answered 503 and closed at once, so an overload is visible to clients, not a hang.
    func acceptConnections() {
        for _ in 0..<64 {
            guard let (fd, address) = Socket.accept(listenerDescriptor) else { return }
            let open = core.connectionCount.add(1, ordering: .relaxed).newValue
            if open > core.configuration.maxConnections {
                core.connectionCount.subtract(1, ordering: .relaxed)
                reject(fd)
                continue
            }
            Socket.setNoDelay(fd)
            let connection = Connection(fd: fd, loop: self, remoteAddress: address.host)
            do {
                try epoll.add(fd, events: LinuxAPI.epollIn, token: connection.token)
            } catch {
                core.connectionCount.subtract(1, ordering: .relaxed)
                close(fd)
                continue
            }
            let slot = Int(fd)
            if slot >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: slot - connections.count + 1))
            }
            connections[slot] = connection
        }
    }

    private func reject(_ fd: Int32) {
        let response = refusal(.serviceUnavailable, path: nil)
        response.withUnsafeBytes { _ = Socket.send(fd, $0, UnsafeRawBufferPointer(start: nil, count: 0)) }
        // Half-close and discard what the client already sent, so closing does not turn into a
        // reset that destroys the 503 before the client reads it.
        shutdown(fd, Int32(SHUT_WR))
        _ = read(fd, readBuffer.baseAddress, readBuffer.count)
        close(fd)
    }

    /// The bytes answering a request the server refuses by itself: the configured responder's
    /// response, else the status's reason phrase. Each refusal gets a request id of its own.
    func refusal(_ status: HTTPStatus, path: String?, remoteAddress: String = "") -> [UInt8] {
        requestCounter &+= 1
        let source = RequestContextSource(
            remoteAddress: remoteAddress, logger: core.logger, serverTag: core.tag, loopIndex: index,
            requestNumber: requestCounter)
        let requestID = source.requestID
        core.logger.debug(
            "refused request",
            metadata: [
                "status": "\(status.code)", "remote": "\(remoteAddress)", "path": "\(path ?? "")",
                "request_id": "\(requestID)",
            ])
        let custom = core.configuration.refusalResponder?(
            RefusedRequest(status: status, path: path, requestID: requestID))
        return ResponseEncoder.encodeError(status, dateLine: dateCache.line, custom: custom)
    }

    func forget(_ connection: Connection) {
        let slot = Int(connection.fd)
        if slot < connections.count, connections[slot] === connection { connections[slot] = nil }
        core.connectionCount.subtract(1, ordering: .relaxed)
    }
}
