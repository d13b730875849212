extension JSONParser {
    /// Exact powers of ten representable in a `Double`, for the fast decimal path.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        let isNegative = bytes[position] == UInt8(ascii: "-")
        if isNegative { position += 1 }
        var mantissa: UInt64 = 0
        var mantissaOverflowed = false

        guard position < bytes.count, isDigit(bytes[position]) else {
            throw error(.invalidNumber("expected a digit"), at: position)
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw error(.invalidNumber("leading zeros are not allowed"), at: start)
            }
        } else {
            accumulateDigits(into: &mantissa, overflowed: &mantissaOverflowed)
        }

        var isInteger = true
        var fractionDigits = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error(.invalidNumber("expected a digit after the decimal point"), at: position)
            }
            fractionDigits = accumulateDigits(into: &mantissa, overflowed: &mantissaOverflowed)
        }

        var exponent = 0
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            var exponentIsNegative = false
            if position < bytes.count,
                bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
            {
                exponentIsNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error(.invalidNumber("expected a digit in the exponent"), at: position)
            }
            while position < bytes.count, isDigit(bytes[position]) {
                // Saturate: anything this large is out of range anyway.
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                position += 1
            }
            if exponentIsNegative { exponent = -exponent }
        }

        if isInteger, !mantissaOverflowed {
            if !isNegative, mantissa <= UInt64(Int64.max) { return .int(Int64(mantissa)) }
            if isNegative, mantissa <= UInt64(Int64.max) + 1 {
                return .int(0 &- Int64(truncatingIfNeeded: mantissa))
            }
        }

        let scale = exponent - fractionDigits
        if !mantissaOverflowed, mantissa < 1 << 53, (-22...22).contains(scale) {
            // Both operands are exact, so one correctly rounded operation gives the right answer.
            var value = Double(mantissa)
            value = scale < 0 ? value / Self.powersOfTen[-scale] : value * Self.powersOfTen[scale]
            return .double(isNegative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error(.numberOutOfRange, at: start) }
        return .double(value)
    }

    /// Reads a run of digits into `mantissa`, noting overflow; returns how many digits were read.
    @discardableResult
    private mutating func accumulateDigits(into mantissa: inout UInt64, overflowed: inout Bool) -> Int {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) {
            let digit = UInt64(bytes[position] - UInt8(ascii: "0"))
            let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            if overflow1 || overflow2 { overflowed = true } else { mantissa = sum }
            position += 1
        }
        return position - start
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
