import COpenSSL

/// Comparisons whose running time does not depend on where two byte strings differ.
public enum ConstantTime {
    /// True when both buffers hold the same bytes. Lengths are not secret: unequal lengths return
    /// false at once; equal lengths are compared with `CRYPTO_memcmp`.
    public static func equals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 0, let a = lhs.baseAddress, let b = rhs.baseAddress else { return true }
        return CRYPTO_memcmp(a, b, lhs.count) == 0
    }

    /// True when `lhs` and `rhs` hold the same bytes (strings compare as UTF-8).
    public static func equals(_ lhs: some ContiguousBytesView, _ rhs: some ContiguousBytesView) -> Bool {
        lhs.withBytes { a in rhs.withBytes { b in equals(a, b) } }
    }
}
