import Glibc

/// An IPv4 or IPv6 address, as connected to (no port, no zone).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// Four bytes in network order.
    case v4(UInt32)
    /// Sixteen bytes in network order.
    case v6([UInt8])

    /// Parses dotted-quad IPv4 or textual IPv6 (`::1`, `::ffff:127.0.0.1`, `[fe80::1]`).
    /// Only the strict forms `inet_pton` accepts; `127.1` or `0x7f000001` are not addresses here.
    public init?(_ text: some StringProtocol) {
        var literal = String(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") {
            literal = String(literal.dropFirst().dropLast())
        }
        if literal.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, literal, &raw) == 1 else { return nil }
            self = .v6(withUnsafeBytes(of: raw) { Array($0) })
        } else {
            var raw = in_addr()
            guard inet_pton(AF_INET, literal, &raw) == 1 else { return nil }
            self = .v4(UInt32(bigEndian: raw.s_addr))
        }
    }

    /// Reads the address out of a `sockaddr_in` or `sockaddr_in6`; nil for other families.
    public init?(sockaddr pointer: UnsafePointer<sockaddr>) {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let address = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
            self = .v4(UInt32(bigEndian: address.sin_addr.s_addr))
        case AF_INET6:
            let address = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
            self = .v6(withUnsafeBytes(of: address.sin6_addr) { Array($0) })
        default:
            return nil
        }
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The address as bytes in network order (4 or 16 of them).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let value):
            return [
                UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff),
            ]
        case .v6(let bytes):
            return bytes
        }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), if this is one.
    public var ipv4Mapped: IPAddress? {
        guard case .v6(let bytes) = self,
            bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff
        else { return nil }
        return .v4(Self.word(bytes, at: 12))
    }

    /// Reads four bytes at `offset` as a big-endian IPv4 value.
    static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// The conventional text form (`127.0.0.1`, `::1`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .v4(let value):
            var raw = in_addr(s_addr: value.bigEndian)
            inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
        case .v6(let bytes):
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
