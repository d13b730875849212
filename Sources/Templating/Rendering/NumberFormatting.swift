/// Writes numbers as decimal text without going through `String`.
enum NumberFormatting {
    static func append(_ number: Int, to output: inout ByteBuffer) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        // 20 digits hold any UInt64.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Whole numbers print without a fractional part (`3`, not `3.0`), like JavaScript's Mustache.
    static func append(_ number: Double, to output: inout ByteBuffer) {
        if number.rounded() == number, number.magnitude < 1e15 {
            append(Int(number), to: &output)
        } else {
            output.append(number.description)
        }
    }
}
