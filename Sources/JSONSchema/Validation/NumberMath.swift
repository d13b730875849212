import JSON

/// Exact comparisons and divisibility for JSON numbers, whether `.int` or `.double`.
enum NumberMath {
    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b` (both numbers).
    static func compare(_ a: JSON, _ b: JSON) -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .double(let y)): return compare(x, y)
        case (.double(let x), .int(let y)): return -compare(y, x)
        default:
            let x = a.double ?? 0
            let y = b.double ?? 0
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    /// Compares an integer with a double without the rounding `Double(x)` would introduce.
    private static func compare(_ x: Int64, _ y: Double) -> Int {
        if y.isNaN { return 0 }
        if y >= 9_223_372_036_854_775_808.0 { return -1 }
        if y < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = y.rounded(.down)
        let integer = Int64(whole)
        if x != integer { return x < integer ? -1 : 1 }
        return whole == y ? 0 : -1
    }

    /// Whether `value` is an integer multiple of `divisor`, computed in decimal so that
    /// 0.0075 is a multiple of 0.0001 although binary floating point says otherwise.
    static func isMultiple(_ value: JSON, of divisor: JSON) -> Bool {
        if case .int(let x) = value, case .int(let y) = divisor { return x % y == 0 }
        guard let (a, p) = decimal(value), let (b, q) = decimal(divisor), b != 0 else { return false }
        if a == 0 { return true }
        if p >= q {
            // (a * 10^(p-q)) mod b, by modular multiplication so nothing overflows.
            var remainder = a % b
            for _ in 0..<(p - q) where remainder != 0 {
                let product = remainder.multipliedFullWidth(by: 10)
                remainder = b.dividingFullWidth(product).remainder
            }
            return remainder == 0
        }
        let shift = q - p
        guard shift < 20 else { return false }
        var power: UInt64 = 1
        for _ in 0..<shift { power *= 10 }
        return a % power == 0 && (a / power) % b == 0
    }

    /// |value| as digits × 10^exponent, from the shortest decimal that round-trips.
    static func decimal(_ value: JSON) -> (UInt64, Int)? {
        switch value {
        case .int(let integer): return (integer.magnitude, 0)
        case .double(let number):
            guard number.isFinite else { return nil }
            var digits: UInt64 = 0
            var exponent = 0
            var seenPoint = false
            let text = number.magnitude.description
            let parts = text.split(separator: "e")
            for character in parts[0].utf8 {
                if character == UInt8(ascii: ".") {
                    seenPoint = true
                    continue
                }
                digits = digits * 10 + UInt64(character - UInt8(ascii: "0"))
                if seenPoint { exponent -= 1 }
            }
            if parts.count == 2, let scale = Int(parts[1].replacing("+", with: "")) { exponent += scale }
            return (digits, exponent)
        default:
            return nil
        }
    }
}
