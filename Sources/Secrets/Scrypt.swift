import COpenSSL

/// The scrypt key derivation function (RFC 7914) through OpenSSL's `EVP_PBE_scrypt`.
///
/// This is CPU- and memory-bound for the whole call: from async code, run it off the cooperative
/// thread pool.
public enum Scrypt {
    /// Derives `byteCount` bytes from `password` and `salt` under `parameters`.
    public static func deriveKey(
        password: some ContiguousBytesView, salt: some ContiguousBytesView, parameters: ScryptParameters,
        byteCount: Int
    ) throws -> [UInt8] {
        try parameters.validate()
        guard (1...1024).contains(byteCount) else {
            throw SecretsError.invalidParameter("scrypt output must be 1 to 1024 bytes, got \(byteCount)")
        }
        var output = [UInt8](repeating: 0, count: byteCount)
        // OpenSSL's own default ceiling is 32 MiB, just under N = 2^15, r = 8; pass what these
        // parameters need (already bounded by validate) plus slack for its bookkeeping.
        let maxMemory = parameters.memoryRequired + (1 << 16)
        let status = password.withBytes { pass in
            salt.withBytes { salt in
                output.withUnsafeMutableBufferPointer { out in
                    EVP_PBE_scrypt(
                        pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count,
                        salt.baseAddress?.assumingMemoryBound(to: UInt8.self), salt.count,
                        parameters.n, UInt64(parameters.r), UInt64(parameters.p), maxMemory,
                        out.baseAddress, out.count)
                }
            }
        }
        guard status == 1 else {
            SecretBytes.cleanse(&output)
            throw SecretsError.openSSL("scrypt")
        }
        return output
    }
}
