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
        let response = ResponseEncoder.encodeError(.serviceUnavailable, dateLine: dateCache.line)
        response.withUnsafeBytes { _ = Socket.send(fd, $0, UnsafeRawBufferPointer(start: nil, count: 0)) }
        // Half-close and discard what the client already sent, so closing does not turn into a
        // reset that destroys the 503 before the client reads it.
        shutdown(fd, Int32(SHUT_WR))
        _ = read(fd, readBuffer.baseAddress, readBuffer.count)
        close(fd)
    }

    func forget(_ connection: Connection) {
        let slot = Int(connection.fd)
        if slot < connections.count, connections[slot] === connection { connections[slot] = nil }
        core.connectionCount.subtract(1, ordering: .relaxed)
    }
}
