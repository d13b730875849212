import Glibc

/// Raised by `SocketAddress.connect` with the failing `errno`.
enum SocketFailure: Error { case errno(Int32) }

/// A `sockaddr_in` or `sockaddr_in6` for one checked address and port.
struct SocketAddress {
    private var storage = sockaddr_storage()
    private let length: socklen_t
    private let family: Int32

    init(_ address: IPAddress, port: Int) {
        switch address {
        case .v4(let value):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = UInt16(port).bigEndian
            raw.sin_addr.s_addr = value.bigEndian
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: raw) { target.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        case .v6(let bytes):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &raw.sin6_addr) { $0.copyBytes(from: bytes) }
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: raw) { target.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        }
    }

    /// Opens a non-blocking socket and connects it, waiting no later than `deadline`.
    /// Returns the connected descriptor; the caller owns it.
    func connect(until deadline: ContinuousClock.Instant, timeout: Duration, cancellation: CancellationFlag)
        throws -> Int32
    {
        let fd = socket(
            family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure.errno(errno) }
        var copy = storage
        let started = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        do {
            if started != 0 {
                guard errno == EINPROGRESS else { throw SocketFailure.errno(errno) }
                try pollUntil(
                    fd: fd, events: Int16(POLLOUT), deadline: deadline, timeout: timeout,
                    cancellation: cancellation)
                var failure: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size)
                if failure != 0 { throw SocketFailure.errno(failure) }
            }
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            return fd
        } catch {
            close(fd)
            throw error
        }
    }
}
