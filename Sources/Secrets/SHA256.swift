import COpenSSL

/// SHA-256 digests (FIPS 180-4).
public enum SHA256 {
    /// Digest length in bytes.
    public static let byteCount = 32

    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some ContiguousBytesView) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        let ok = bytes.withBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                COpenSSL.SHA256(
                    input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, out.baseAddress)
                    != nil
            }
        }
        guard ok else { throw SecretsError.openSSL("SHA-256") }
        return output
    }

    /// The 64-character lowercase hex digest of `bytes`.
    public static func hexDigest(_ bytes: some ContiguousBytesView) throws -> String {
        Hex.encode(try digest(bytes))
    }
}

/// HMAC-SHA256 message authentication codes (RFC 2104, RFC 4231).
public enum HMACSHA256 {
    /// MAC length in bytes.
    public static let byteCount = 32

    /// The 32-byte MAC of `message` under `key`.
    public static func authenticationCode(for message: some ContiguousBytesView, key: SecretKey) throws
        -> [UInt8]
    {
        try key.withUnsafeBytes { try authenticationCode(for: message, rawKey: $0) }
    }

    static func authenticationCode(for message: some ContiguousBytesView, rawKey: UnsafeRawBufferPointer)
        throws
        -> [UInt8]
    {
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let ok = message.withBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                HMAC(
                    EVP_sha256(), rawKey.baseAddress, Int32(rawKey.count),
                    input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                    out.baseAddress, &length) != nil
            }
        }
        guard ok, length == byteCount else { throw SecretsError.openSSL("HMAC-SHA256") }
        return output
    }

    /// Checks `code` against the MAC of `message` in constant time.
    public static func isValid(_ code: [UInt8], for message: some ContiguousBytesView, key: SecretKey) throws
        -> Bool
    {
        ConstantTime.equals(try authenticationCode(for: message, key: key), code)
    }
}
