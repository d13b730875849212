/// A block of addresses written as CIDR (`10.0.0.0/8`, `fc00::/7`); a single address is a full-length block.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let base: IPAddress
    /// Number of leading bits that must match.
    public let prefixLength: Int

    /// Builds a block, clearing any host bits of `address`; nil if the prefix is out of range.
    public init?(_ address: IPAddress, prefixLength: Int) {
        let width = address.bytes.count * 8
        guard (0...width).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        let masked = Self.mask(address.bytes, prefixLength: prefixLength)
        self.base = address.isIPv4 ? .v4(IPAddress.word(masked, at: 0)) : .v6(masked)
    }

    /// Parses `address` or `address/prefix`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        let width = address.bytes.count * 8
        var length = width
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = parsed
        }
        self.init(address, prefixLength: length)
    }

    /// Whether `address` lies in this block; addresses of the other family never do.
    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == base.isIPv4 else { return false }
        return Self.mask(address.bytes, prefixLength: prefixLength) == base.bytes
    }

    public var description: String { "\(base)/\(prefixLength)" }

    private static func mask(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsHere = max(0, min(8, prefixLength - index * 8))
            result[index] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsHere))
        }
        return result
    }
}
