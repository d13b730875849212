import Dispatch
import Foundation
import Secrets
import Synchronization

/// Runs password hashing off Swift's cooperative thread pool.
///
/// Scrypt at the production cost keeps a core busy for about 100 ms; run on the shared pool it
/// would stall every other request on that thread. Jobs go round-robin to a few serial queues (one
/// per core), which also bounds the memory scrypt takes (32 MiB per running hash) under a burst of
/// logins.
public final class PasswordWorker: Sendable {
    public let hasher: PasswordHasher
    private let queues: [DispatchQueue]
    private let nextQueue = Atomic<Int>(0)

    public init(hasher: PasswordHasher, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.hasher = hasher
        queues = (0..<max(1, threads)).map { DispatchQueue(label: "patchbay.password.\($0)") }
    }

    /// A new encoded hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await run { try hasher.hash(password) }
    }

    /// Whether `password` matches `encodedHash`.
    public func verify(_ password: String, against encodedHash: String) async throws -> Bool {
        let hasher = self.hasher
        return try await run { try hasher.verify(password, against: encodedHash) }
    }

    /// Spends a verification's work and returns false, for accounts that do not exist.
    public func verifyUnknownAccount(_ password: String) async throws -> Bool {
        let hasher = self.hasher
        return try await run { try hasher.verifyUnknownAccount(password) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let index = nextQueue.add(1, ordering: .relaxed).oldValue
        let queue = queues[Int(index.magnitude % UInt(queues.count))]
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
