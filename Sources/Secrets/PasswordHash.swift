/// A parsed scrypt password hash in the self-describing form
/// `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, salt and hash in unpadded standard base64.
///
/// Carrying the parameters in the string lets the cost be raised later: old hashes still verify,
/// and `needsRehash` tells the login path to store a fresh hash.
public struct PasswordHash: Sendable, Hashable, CustomStringConvertible {
    /// The identifier between the first two `$`.
    public static let algorithm = "scrypt"
    static let saltLengths = 8...64
    static let hashLengths = 16...64

    public let parameters: ScryptParameters
    public let salt: [UInt8]
    public let hash: [UInt8]

    init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// Parses an encoded hash. Throws `SecretsError.malformedPasswordHash` saying which part is
    /// wrong, without quoting the input.
    public init(encoded: String) throws {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty else {
            throw SecretsError.malformedPasswordHash("expected $scrypt$<parameters>$<salt>$<hash>")
        }
        guard fields[1] == Self.algorithm else {
            throw SecretsError.malformedPasswordHash("unsupported algorithm (expected scrypt)")
        }
        parameters = try Self.parseParameters(fields[2])
        guard let salt = Base64.decode(String(fields[3])), Self.saltLengths.contains(salt.count) else {
            throw SecretsError.malformedPasswordHash("salt is not base64 of 8 to 64 bytes")
        }
        guard let hash = Base64.decode(String(fields[4])), Self.hashLengths.contains(hash.count) else {
            throw SecretsError.malformedPasswordHash("hash is not base64 of 16 to 64 bytes")
        }
        self.salt = salt
        self.hash = hash
    }

    private static func parseParameters(_ text: Substring) throws -> ScryptParameters {
        let pairs = text.split(separator: ",", omittingEmptySubsequences: false)
        let names = ["ln", "r", "p"]
        guard pairs.count == names.count else {
            throw SecretsError.malformedPasswordHash("parameters must be ln=<n>,r=<n>,p=<n>")
        }
        var values: [Int] = []
        for (pair, name) in zip(pairs, names) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name, let value = parseSmallInteger(parts[1]) else {
                throw SecretsError.malformedPasswordHash("parameters must be ln=<n>,r=<n>,p=<n>")
            }
            values.append(value)
        }
        do {
            return try ScryptParameters(logN: values[0], r: values[1], p: values[2])
        } catch {
            throw SecretsError.malformedPasswordHash("parameters out of the accepted range")
        }
    }

    /// Digits only (no sign, no spaces), at most four of them.
    private static func parseSmallInteger(_ text: Substring) -> Int? {
        guard (1...4).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    /// The encoded string form.
    public var encoded: String {
        "$\(Self.algorithm)$\(parameters)$\(Base64.encode(salt, padding: false))$"
            + Base64.encode(hash, padding: false)
    }

    /// Shows the parameters only; the salt and hash stay out of logs.
    public var description: String { "PasswordHash(\(Self.algorithm), \(parameters))" }
}
