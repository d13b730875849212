#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 socket address.
struct SocketAddress {
    private var storage = sockaddr_storage()

    init(storage: sockaddr_storage) { self.storage = storage }

    /// Parses a numeric IPv4/IPv6 host (`localhost` means 127.0.0.1); names are not resolved.
    init(host: String, port: Int) throws(HTTPServerError) {
        guard (0...65535).contains(port) else {
            throw HTTPServerError(.invalidConfiguration("port \(port) out of range"))
        }
        let name = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, name, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: v4) { raw.copyMemory(from: $0) }
            }
        } else if inet_pton(AF_INET6, name, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: v6) { raw.copyMemory(from: $0) }
            }
        } else {
            throw HTTPServerError(.invalidConfiguration("host \(host) is not a numeric IP address"))
        }
    }

    var family: sa_family_t { storage.ss_family }

    var port: Int {
        withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port share the same offset, right after the family.
            Int(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    /// `1.2.3.4` or `::1` (without the port).
    var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = storage
        let ok = withUnsafeMutableBytes(of: &copy) { raw -> Bool in
            let offset = family == sa_family_t(AF_INET6) ? 8 : 4
            return inet_ntop(Int32(family), raw.baseAddress! + offset, &buffer, socklen_t(buffer.count))
                != nil
        }
        guard ok else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        let length =
            family == sa_family_t(AF_INET6)
            ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size
        return withUnsafeBytes(of: storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(length))
        }
    }
}
