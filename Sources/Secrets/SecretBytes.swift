import COpenSSL

/// A heap buffer for key material that is wiped with `OPENSSL_cleanse` when released.
///
/// `@unchecked Sendable`: this class owns a raw allocation. The bytes are written only inside `init`
/// and are read-only afterwards, so concurrent readers are safe; the class exists so that `deinit`
/// can cleanse and free the allocation exactly once.
final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    /// Allocates `count` zeroed bytes and lets `initialize` fill them.
    init(count: Int, initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try initialize(buffer)
        } catch {
            SecretBytes.cleanse(buffer)
            buffer.deallocate()
            throw error
        }
        storage = buffer
    }

    convenience init(copying bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    deinit {
        SecretBytes.cleanse(storage)
        storage.deallocate()
    }

    var count: Int { storage.count }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// Overwrites memory in a way the optimiser cannot drop.
    static func cleanse(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        OPENSSL_cleanse(base, buffer.count)
    }

    /// Wipes a temporary array that held secret bytes.
    static func cleanse(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { cleanse($0) }
    }
}
