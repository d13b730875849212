import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// Thin wrappers over the socket calls the server makes; each failure becomes an
/// ``HTTPServerError`` naming the call and its errno.
enum Socket {
    /// Opens a non-blocking listening TCP socket. With `reusePort`, several sockets (one per
    /// event loop) can bind the same port and the kernel spreads connections between them.
    static func listen(host: String, port: Int, reusePort: Bool, backlog: Int32) throws(HTTPServerError)
        -> Int32
    {
        let address = try SocketAddress(host: host, port: port)
        let fd = socket(Int32(address.family), Int32(SOCK_STREAM.rawValue) | LinuxAPI.closeOnExec, 0)
        guard fd >= 0 else { throw .systemCall("socket") }
        do throws(HTTPServerError) {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            let bound = address.withSockAddr { bind(fd, $0, $1) }
            guard bound == 0 else { throw .systemCall("bind(\(host):\(port))") }
            guard Glibc.listen(fd, backlog) == 0 else { throw .systemCall("listen") }
            try setNonBlocking(fd)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// The port a socket is bound to (for port 0, the one the kernel picked).
    static func localPort(_ fd: Int32) throws(HTTPServerError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .systemCall("getsockname") }
        return SocketAddress(storage: storage).port
    }

    /// Accepts one pending connection as a non-blocking socket; nil when none is pending (or the
    /// peer already gave up).
    static func accept(_ listener: Int32) -> (fd: Int32, address: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                accept4(listener, $0, &length, LinuxAPI.nonBlocking | LinuxAPI.closeOnExec)
            }
        }
        guard fd >= 0 else { return nil }
        return (fd, SocketAddress(storage: storage))
    }

    static func setNoDelay(_ fd: Int32) {
        _ = try? setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    static func setNonBlocking(_ fd: Int32) throws(HTTPServerError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .systemCall("fcntl") }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(HTTPServerError)
    {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .systemCall("setsockopt(\(name))")
        }
    }

    /// Gathers up to two buffers into one `sendmsg` (a `writev` that cannot raise SIGPIPE).
    /// Returns bytes written, 0 when the socket would block, or -1 on a broken connection.
    static func send(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Int {
        var vectors = (
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
        )
        let written = withUnsafeMutablePointer(to: &vectors) { pointer -> Int in
            pointer.withMemoryRebound(to: iovec.self, capacity: 2) { iov in
                var message = msghdr()
                message.msg_iov = iov
                message.msg_iovlen = second.isEmpty ? 1 : 2
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
        }
        if written >= 0 { return written }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1
    }
}
