import COpenSSL

/// Every failure the Secrets module reports.
///
/// Messages name the operation, the source and the reason, but never carry key material, plaintext,
/// passwords or the raw value of a malformed input: they are safe to log and to show to operators.
public enum SecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operating system's random generator (through OpenSSL) could not produce bytes.
    case randomGenerationFailed
    /// An OpenSSL call failed for a reason other than authentication.
    case cryptoFailure(operation: String, detail: String)
    /// A caller passed an argument outside the supported range.
    case invalidParameter(String)
    /// A key had the wrong number of bytes.
    case invalidKeyLength(expected: Int, actual: Int)
    /// AES-GCM rejected the ciphertext, tag, nonce or associated data.
    case authenticationFailed
    /// A ciphertext names a data-key version that the key ring does not hold.
    case unknownKeyVersion(UInt32)
    /// The key ring holds no key to seal new values with.
    case noCurrentKeyVersion
    /// A different key is already registered under this version.
    case keyVersionConflict(UInt32)
    /// A wrapped data key was made with a master key that is not loaded.
    case unknownMasterKey(id: String)
    /// An encoded ciphertext or wrapped key could not be parsed.
    case malformedCiphertext(String)
    /// An encoded ciphertext or wrapped key starts with a format byte this version does not know.
    case unsupportedFormat(UInt8)
    /// A stored password hash could not be parsed.
    case malformedPasswordHash(String)
    /// The master key's text (from `source`) is not usable; `reason` never quotes the text.
    case invalidMasterKey(source: String, reason: String)
    /// No master key was configured.
    case masterKeyUnavailable(String)
    /// The master key file could not be read or created.
    case keyFile(path: String, reason: String)
    /// The master key file can be read or written by group or others.
    case insecureKeyFile(path: String, mode: UInt32)
    /// Decrypted bytes were expected to be UTF-8 text and were not.
    case invalidUTF8

    public var description: String {
        switch self {
        case .randomGenerationFailed:
            return "the system random generator failed to produce bytes"
        case .cryptoFailure(let operation, let detail):
            return "\(operation) failed: \(detail)"
        case .invalidParameter(let message):
            return message
        case .invalidKeyLength(let expected, let actual):
            return "key must be \(expected) bytes, got \(actual)"
        case .authenticationFailed:
            return "authentication failed: the ciphertext, nonce, tag or associated data do not match"
        case .unknownKeyVersion(let version):
            return "no data key with version \(version) is loaded in the key ring"
        case .noCurrentKeyVersion:
            return "the key ring has no current data key to encrypt with"
        case .keyVersionConflict(let version):
            return "a different data key is already registered as version \(version)"
        case .unknownMasterKey(let id):
            return "the data key was wrapped by master key \(id), which is not loaded"
        case .malformedCiphertext(let reason):
            return "malformed ciphertext: \(reason)"
        case .unsupportedFormat(let byte):
            return "unsupported ciphertext format \(byte)"
        case .malformedPasswordHash(let reason):
            return "malformed password hash: \(reason)"
        case .invalidMasterKey(let source, let reason):
            return "invalid master key from \(source): \(reason)"
        case .masterKeyUnavailable(let message):
            return message
        case .keyFile(let path, let reason):
            return "master key file \(path): \(reason)"
        case .insecureKeyFile(let path, let mode):
            let octal = String(mode & 0o777, radix: 8)
            return "master key file \(path) has permissions 0\(octal); it must not be accessible by group "
                + "or others (run: chmod 600 \(path))"
        case .invalidUTF8:
            return "decrypted value is not valid UTF-8"
        }
    }

    /// Builds a `cryptoFailure` from OpenSSL's thread-local error queue and empties the queue.
    ///
    /// OpenSSL's reason strings name the failing routine, never data, so they are safe to keep.
    static func openSSL(_ operation: String) -> SecretsError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return .cryptoFailure(operation: operation, detail: "unknown OpenSSL error") }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let detail = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .cryptoFailure(operation: operation, detail: detail)
    }
}
