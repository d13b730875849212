/// A growable byte buffer that appends with plain memory copies. One render owns it (for its
/// output and its indentation stack); the output is copied out once at the end.
struct ByteBuffer: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deallocate()
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        if count + length > capacity { grow(toAtLeast: count + length) }
        let destination = storage + count
        if length <= 16 {
            // Most pieces are short (a value, an indentation, a bit of markup between tags);
            // copying them inline beats a call to memmove.
            for offset in 0..<length { destination[offset] = source[offset] }
        } else {
            destination.initialize(from: source, count: length)
        }
        count += length
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toAtLeast: count + 1) }
        storage[count] = byte
        count += 1
    }

    mutating func append(_ string: StaticString) {
        string.withUTF8Buffer { append($0) }
    }

    /// Appends the string's UTF-8 bytes, copying it first only if it is not stored contiguously.
    mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { append($0) }
    }

    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStorage.initialize(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Drops the bytes past `newCount`.
    mutating func truncate(to newCount: Int) {
        count = min(count, newCount)
    }

    /// The bytes from `start` to the end, valid until the buffer is next changed.
    func bytes(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + start, count: count - start)
    }

    /// Appends everything written so far to `array`.
    func copy(to array: inout [UInt8]) {
        array.append(contentsOf: UnsafeBufferPointer(start: storage, count: count))
    }
}
