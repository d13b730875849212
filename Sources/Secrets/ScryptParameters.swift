/// Cost parameters of scrypt (RFC 7914): N = 2^logN, block size r, parallelism p.
///
/// Memory use is about 128 · r · N bytes; time grows with N · r · p.
public struct ScryptParameters: Sendable, Hashable, CustomStringConvertible {
    /// log2 of the CPU/memory cost N.
    public var logN: Int
    /// Block size.
    public var r: Int
    /// Parallelisation.
    public var p: Int

    /// Production cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds per hash).
    public static let `default` = ScryptParameters(uncheckedLogN: 15, r: 8, p: 1)
    /// A cheap cost for tests only: N = 2^10, r = 8, p = 1 (1 MiB, about a millisecond).
    public static let testing = ScryptParameters(uncheckedLogN: 10, r: 8, p: 1)

    /// Largest memory a hash may demand. Parameters come from stored hash strings too, so a tampered
    /// row must not be able to make a login allocate gigabytes.
    public static let maximumMemory: UInt64 = 256 << 20
    static let maximumParallelism = 16

    /// Parameters checked against `maximumMemory` and sane ranges.
    public init(logN: Int, r: Int, p: Int) throws {
        self.init(uncheckedLogN: logN, r: r, p: p)
        try validate()
    }

    private init(uncheckedLogN logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// N itself.
    public var n: UInt64 { 1 << UInt64(logN) }

    /// Bytes OpenSSL will allocate: the V array (128 · r · (N + 2)) plus the B array (128 · r · p).
    var memoryRequired: UInt64 { 128 * UInt64(r) * (n + 2 + UInt64(p)) }

    func validate() throws {
        guard (1...30).contains(logN) else {
            throw SecretsError.invalidParameter("scrypt log2(N) must be between 1 and 30, got \(logN)")
        }
        guard (1...64).contains(r) else {
            throw SecretsError.invalidParameter("scrypt r must be between 1 and 64, got \(r)")
        }
        guard (1...Self.maximumParallelism).contains(p) else {
            throw SecretsError.invalidParameter(
                "scrypt p must be between 1 and \(Self.maximumParallelism), got \(p)")
        }
        guard memoryRequired <= Self.maximumMemory else {
            throw SecretsError.invalidParameter(
                "scrypt parameters \(self) need \(memoryRequired >> 20) MiB, above the "
                    + "\(Self.maximumMemory >> 20) MiB limit")
        }
    }

    /// The form used inside encoded hashes: `ln=15,r=8,p=1`.
    public var description: String { "ln=\(logN),r=\(r),p=\(p)" }
}
