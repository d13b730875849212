/// A data key encrypted (wrapped) by a master key, in the form stored in the database.
///
/// The wrap is AES-256-GCM with associated data binding the tenant ID, the data-key version and
/// the master key ID, so a wrapped key copied to another tenant or relabelled with another version
/// fails to unwrap.
///
/// Encoded layout: format byte `0x01`, data-key version (UInt32 big-endian), master key ID length
/// (1 byte) and ID (UTF-8), nonce (12), wrapped key (32), tag (16).
public struct WrappedDataKey: Sendable, Hashable, CustomStringConvertible {
    public static let formatV1: UInt8 = 0x01

    /// Version of the data key inside.
    public let version: UInt32
    /// ID of the master key that wrapped it.
    public let masterKeyID: String
    let box: AESGCM.SealedBox

    init(version: UInt32, masterKeyID: String, box: AESGCM.SealedBox) {
        self.version = version
        self.masterKeyID = masterKeyID
        self.box = box
    }

    /// The AAD tying a wrap to its tenant, version and master key.
    static func associatedData(tenantID: String, version: UInt32, masterKeyID: String) -> [UInt8] {
        AssociatedData.make("patchbay.data-key.v1", tenantID, String(version), masterKeyID)
    }

    /// The self-describing byte form.
    public var encoded: [UInt8] {
        var output: [UInt8] = [Self.formatV1]
        output.appendBigEndian(version)
        let id = Array(masterKeyID.utf8)
        output.append(UInt8(truncatingIfNeeded: id.count))
        output.append(contentsOf: id)
        output.append(contentsOf: box.nonce)
        output.append(contentsOf: box.ciphertext)
        output.append(contentsOf: box.tag)
        return output
    }

    /// Standard base64 of `encoded`, for text columns and config files.
    public var base64Encoded: String { Base64.encode(encoded) }

    /// Parses the byte form.
    public init(encoded bytes: [UInt8]) throws {
        guard let format = bytes.first else { throw SecretsError.malformedCiphertext("wrapped key is empty") }
        guard format == Self.formatV1 else { throw SecretsError.unsupportedFormat(format) }
        guard bytes.count >= 6 else { throw SecretsError.malformedCiphertext("wrapped key is truncated") }
        let idLength = Int(bytes[5])
        let keyLength = AESGCM.keyByteCount
        let expected = 6 + idLength + AESGCM.nonceByteCount + keyLength + AESGCM.tagByteCount
        guard bytes.count == expected else {
            throw SecretsError.malformedCiphertext(
                "wrapped key is \(bytes.count) bytes, expected \(expected)")
        }
        let idBytes = bytes[6..<(6 + idLength)]
        guard let id = String(validating: idBytes, as: UTF8.self) else {
            throw SecretsError.malformedCiphertext("master key ID is not UTF-8")
        }
        let nonceStart = 6 + idLength
        let keyStart = nonceStart + AESGCM.nonceByteCount
        let tagStart = keyStart + keyLength
        self.init(
            version: bytes[1..<5].readBigEndianUInt32(), masterKeyID: id,
            box: AESGCM.SealedBox(
                nonce: Array(bytes[nonceStart..<keyStart]), ciphertext: Array(bytes[keyStart..<tagStart]),
                tag: Array(bytes[tagStart...])))
    }

    /// Parses the base64 form.
    public init(base64Encoded text: String) throws {
        guard let bytes = Base64.decode(text) else {
            throw SecretsError.malformedCiphertext("wrapped key is not valid base64")
        }
        try self.init(encoded: bytes)
    }

    public var description: String { "WrappedDataKey(version: \(version), masterKeyID: \(masterKeyID))" }
}
