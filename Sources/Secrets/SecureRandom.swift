import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG, seeded by the operating system.
public enum SecureRandom {
    /// `count` random bytes. Throws `SecretsError.randomGenerationFailed` rather than returning
    /// weak bytes if the generator fails.
    public static func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw SecretsError.invalidParameter("byte count cannot be negative") }
        var result = [UInt8](repeating: 0, count: count)
        try result.withUnsafeMutableBytes { try fill($0) }
        return result
    }

    /// Fills `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        // RAND_bytes takes an Int32 length, so large buffers are filled in chunks.
        let chunk = 1 << 20
        var offset = 0
        while offset < buffer.count {
            let length = min(chunk, buffer.count - offset)
            let pointer = (base + offset).assumingMemoryBound(to: UInt8.self)
            guard RAND_bytes(pointer, Int32(length)) == 1 else {
                ERR_clear_error()
                throw SecretsError.randomGenerationFailed
            }
            offset += length
        }
    }
}
