/// A value sealed by a `KeyRing`, in a self-describing byte format:
/// format byte `0x01`, data-key version (UInt32 big-endian), nonce (12), ciphertext, tag (16).
///
/// The format byte and version are authenticated too (they prefix the associated data), so a
/// ciphertext cannot be relabelled with another key version.
public struct Ciphertext: Sendable, Hashable, CustomStringConvertible {
    public static let formatV1: UInt8 = 0x01
    static let headerByteCount = 5
    /// The smallest valid encoding (an empty plaintext).
    public static let minimumByteCount = headerByteCount + AESGCM.nonceByteCount + AESGCM.tagByteCount

    /// Version of the data key that sealed it.
    public let keyVersion: UInt32
    public let box: AESGCM.SealedBox

    public init(keyVersion: UInt32, box: AESGCM.SealedBox) {
        self.keyVersion = keyVersion
        self.box = box
    }

    /// Format byte and key version, the part prepended to the caller's associated data.
    var header: [UInt8] { Self.header(keyVersion: keyVersion) }

    static func header(keyVersion: UInt32) -> [UInt8] {
        var output: [UInt8] = [formatV1]
        output.appendBigEndian(keyVersion)
        return output
    }

    /// The self-describing byte form.
    public var encoded: [UInt8] {
        header + box.nonce + box.ciphertext + box.tag
    }

    /// Standard base64 of `encoded`.
    public var base64Encoded: String { Base64.encode(encoded) }

    /// Parses the byte form; the key version can be read before any key is looked up.
    public init(encoded bytes: [UInt8]) throws {
        guard let format = bytes.first else { throw SecretsError.malformedCiphertext("ciphertext is empty") }
        guard format == Self.formatV1 else { throw SecretsError.unsupportedFormat(format) }
        guard bytes.count >= Self.minimumByteCount else {
            throw SecretsError.malformedCiphertext(
                "ciphertext is \(bytes.count) bytes, shorter than the \(Self.minimumByteCount)-byte minimum")
        }
        let nonceEnd = Self.headerByteCount + AESGCM.nonceByteCount
        let tagStart = bytes.count - AESGCM.tagByteCount
        self.init(
            keyVersion: bytes[1..<5].readBigEndianUInt32(),
            box: AESGCM.SealedBox(
                nonce: Array(bytes[Self.headerByteCount..<nonceEnd]),
                ciphertext: Array(bytes[nonceEnd..<tagStart]),
                tag: Array(bytes[tagStart...])))
    }

    /// Parses the base64 form.
    public init(base64Encoded text: String) throws {
        guard let bytes = Base64.decode(text) else {
            throw SecretsError.malformedCiphertext("ciphertext is not valid base64")
        }
        try self.init(encoded: bytes)
    }

    public var description: String { "Ciphertext(keyVersion: \(keyVersion), \(box.ciphertext.count) bytes)" }
}
