/// Builds associated data (AAD) for AES-GCM from several fields without ambiguity.
///
/// Each part is written as a 4-byte big-endian length followed by its UTF-8 bytes, so
/// `("ab", "c")` and `("a", "bc")` give different AAD. Typical use: bind a ciphertext to its row,
/// `AssociatedData.make("connector.auth", tenantID, connectorID)`, so that copying it to another
/// row makes decryption fail.
public enum AssociatedData {
    /// Length-prefixed concatenation of `parts`.
    public static func make(_ parts: String...) -> [UInt8] {
        make(parts)
    }

    /// Length-prefixed concatenation of `parts`.
    public static func make(_ parts: [String]) -> [UInt8] {
        var output = [UInt8]()
        for part in parts {
            let bytes = Array(part.utf8)
            output.appendBigEndian(UInt32(truncatingIfNeeded: bytes.count))
            output.append(contentsOf: bytes)
        }
        return output
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}

extension Collection where Element == UInt8 {
    /// Reads a big-endian UInt32 from the first four bytes; the caller checks the length.
    func readBigEndianUInt32() -> UInt32 {
        prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
