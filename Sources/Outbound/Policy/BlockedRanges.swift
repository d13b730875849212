/// Why an address is refused by default.
public enum BlockedReason: String, Sendable, CustomStringConvertible {
    case loopback = "loopback"
    case privateNetwork = "private network"
    case linkLocal = "link-local"
    case cloudMetadata = "cloud metadata service"
    case unspecified = "unspecified address"
    case multicast = "multicast"
    case broadcast = "broadcast"
    case sharedAddressSpace = "carrier-grade NAT"
    case reserved = "reserved"

    public var description: String { rawValue }
}

/// The address blocks refused unless an allow-list entry re-permits them.
///
/// Order matters: the first match names the reason, so the narrow metadata entries come before
/// the link-local and private blocks that contain them.
enum BlockedRanges {
    static let entries: [(String, BlockedReason)] = [
        ("169.254.169.254/32", .cloudMetadata),
        ("fd00:ec2::254/128", .cloudMetadata),
        ("0.0.0.0/32", .unspecified),
        ("0.0.0.0/8", .reserved),  // "this network": Linux treats 0.x as local
        ("127.0.0.0/8", .loopback),
        ("10.0.0.0/8", .privateNetwork),
        ("172.16.0.0/12", .privateNetwork),
        ("192.168.0.0/16", .privateNetwork),
        ("100.64.0.0/10", .sharedAddressSpace),
        ("169.254.0.0/16", .linkLocal),
        ("192.0.0.0/24", .reserved),  // IETF protocol assignments
        ("198.18.0.0/15", .reserved),  // benchmarking; often used inside data centres
        ("224.0.0.0/4", .multicast),
        ("255.255.255.255/32", .broadcast),
        ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified),
        ("::1/128", .loopback),
        ("fc00::/7", .privateNetwork),
        ("fe80::/10", .linkLocal),
        ("fec0::/10", .privateNetwork),  // deprecated site-local
        ("ff00::/8", .multicast),
        ("64:ff9b:1::/48", .privateNetwork),  // local-use NAT64
        ("100::/64", .reserved),  // discard-only
    ]

    /// `entries` parsed; a test checks that none was lost to a typo.
    static let table: [(IPNetwork, BlockedReason)] = entries.compactMap { text, reason in
        IPNetwork(text).map { ($0, reason) }
    }

    /// The reason `address` is refused by default, or nil if it is a public address.
    ///
    /// IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`,
    /// NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`) are judged by the IPv4 address inside.
    static func reason(for address: IPAddress) -> BlockedReason? {
        if let match = table.first(where: { $0.0.contains(address) }) { return match.1 }
        if let embedded = embeddedIPv4(in: address) { return reason(for: embedded) }
        return nil
    }

    /// The IPv4 address an IPv6 transition form points at, if any.
    static func embeddedIPv4(in address: IPAddress) -> IPAddress? {
        guard case .v6(let bytes) = address else { return nil }
        if let mapped = address.ipv4Mapped { return mapped }
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return .v4(IPAddress.word(bytes, at: 12)) }
        if bytes[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] {
            return .v4(IPAddress.word(bytes, at: 12))
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return .v4(IPAddress.word(bytes, at: 2)) }
        return nil
    }
}
