import COpenSSL

/// AES-256-GCM authenticated encryption with associated data (NIST SP 800-38D).
///
/// Nonces are 96 random bits per message. With random nonces one key should seal well under 2^32
/// messages; data keys here are per tenant and rotated, far below that.
public enum AESGCM {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// The output of sealing: nonce, ciphertext (same length as the plaintext) and tag.
    public struct SealedBox: Sendable, Hashable {
        public var nonce: [UInt8]
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts `plaintext` under `key` with a fresh random nonce, authenticating `associatedData`
    /// too (it is not encrypted and must be passed again to `open`).
    public static func seal(
        _ plaintext: some ContiguousBytesView, using key: SecretKey,
        authenticating associatedData: [UInt8] = []
    ) throws -> SealedBox {
        try seal(
            plaintext, using: key, nonce: SecureRandom.bytes(nonceByteCount), authenticating: associatedData)
    }

    /// Sealing with a caller-chosen nonce, kept internal: reusing a nonce under one key breaks GCM.
    static func seal(
        _ plaintext: some ContiguousBytesView, using key: SecretKey, nonce: [UInt8],
        authenticating aad: [UInt8]
    ) throws -> SealedBox {
        try checkKey(key)
        guard nonce.count == nonceByteCount else {
            throw SecretsError.invalidParameter("nonce must be 12 bytes")
        }
        let context = try CipherContext()
        try key.withUnsafeBytes { keyBytes in
            try nonce.withUnsafeBytes { nonceBytes in
                try context.check(
                    EVP_EncryptInit_ex(
                        context.pointer, EVP_aes_256_gcm(), nil, keyBytes.typed, nonceBytes.typed),
                    "AES-GCM encryption setup")
            }
        }
        try aad.withUnsafeBytes { try context.update(output: nil, input: $0, encrypt: true) }
        var ciphertext = [UInt8](repeating: 0, count: 0)
        try plaintext.withBytes { input in
            ciphertext = [UInt8](repeating: 0, count: input.count)
            try ciphertext.withUnsafeMutableBytes {
                try context.update(output: $0, input: input, encrypt: true)
            }
        }
        var finalLength: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        try context.check(EVP_EncryptFinal_ex(context.pointer, &scratch, &finalLength), "AES-GCM encryption")
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag),
            "AES-GCM tag")
        return SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Decrypts and authenticates `box`. Any change to the nonce, ciphertext, tag or associated data
    /// throws `SecretsError.authenticationFailed` and releases no plaintext.
    public static func open(
        _ box: SealedBox, using key: SecretKey, authenticating associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        try checkKey(key)
        // A shorter nonce or truncated tag would still "work" in OpenSSL; refuse them outright.
        guard box.nonce.count == nonceByteCount, box.tag.count == tagByteCount else {
            throw SecretsError.authenticationFailed
        }
        let context = try CipherContext()
        try key.withUnsafeBytes { keyBytes in
            try box.nonce.withUnsafeBytes { nonceBytes in
                try context.check(
                    EVP_DecryptInit_ex(
                        context.pointer, EVP_aes_256_gcm(), nil, keyBytes.typed, nonceBytes.typed),
                    "AES-GCM decryption setup")
            }
        }
        try associatedData.withUnsafeBytes { try context.update(output: nil, input: $0, encrypt: false) }
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        try box.ciphertext.withUnsafeBytes { input in
            try plaintext.withUnsafeMutableBytes {
                try context.update(output: $0, input: input, encrypt: false)
            }
        }
        var tag = box.tag
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag),
            "AES-GCM tag")
        var finalLength: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(context.pointer, &scratch, &finalLength) == 1 else {
            ERR_clear_error()
            SecretBytes.cleanse(&plaintext)
            throw SecretsError.authenticationFailed
        }
        return plaintext
    }

    private static func checkKey(_ key: SecretKey) throws {
        guard key.byteCount == keyByteCount else {
            throw SecretsError.invalidKeyLength(expected: keyByteCount, actual: key.byteCount)
        }
    }
}

/// Owns one `EVP_CIPHER_CTX`; freeing it also wipes the expanded key schedule inside.
private final class CipherContext {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = EVP_CIPHER_CTX_new() else { throw SecretsError.openSSL("EVP_CIPHER_CTX_new") }
        self.pointer = pointer
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    func check(_ status: Int32, _ operation: String) throws {
        guard status == 1 else { throw SecretsError.openSSL(operation) }
    }

    /// Feeds `input` in chunks that fit OpenSSL's `int` lengths; with `output` nil it is AAD.
    func update(output: UnsafeMutableRawBufferPointer?, input: UnsafeRawBufferPointer, encrypt: Bool) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        let chunk = 1 << 30
        var offset = 0
        while offset < input.count {
            let length = min(chunk, input.count - offset)
            let out = output.map { ($0.baseAddress! + offset).assumingMemoryBound(to: UInt8.self) }
            let inPointer = (base + offset).assumingMemoryBound(to: UInt8.self)
            var written: Int32 = 0
            let status =
                encrypt
                ? EVP_EncryptUpdate(pointer, out, &written, inPointer, Int32(length))
                : EVP_DecryptUpdate(pointer, out, &written, inPointer, Int32(length))
            try check(status, encrypt ? "AES-GCM encryption" : "AES-GCM decryption")
            offset += length
        }
    }
}

extension UnsafeRawBufferPointer {
    fileprivate var typed: UnsafePointer<UInt8>? { baseAddress?.assumingMemoryBound(to: UInt8.self) }
}
