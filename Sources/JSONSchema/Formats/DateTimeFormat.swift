/// RFC 3339 `date-time`, `full-date` and `full-time` (the time must carry an offset).
enum DateTimeFormat {
    static func isDateTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > 11, bytes[10] | 0x20 == UInt8(ascii: "t") else { return false }
        return isDate(bytes[0..<10]) && isTime(bytes[11...])
    }

    static func isDate(_ bytes: Bytes) -> Bool {
        guard bytes.count == 10, bytes[bytes.startIndex + 4] == UInt8(ascii: "-"),
            bytes[bytes.startIndex + 7] == UInt8(ascii: "-"),
            let year = fixedDigits(bytes, 0, 4), let month = fixedDigits(bytes, 5, 2),
            let day = fixedDigits(bytes, 8, 2), (1...12).contains(month)
        else { return false }
        return (1...daysInMonth(month, year: year)).contains(day)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `HH:MM:SS[.frac](Z|±HH:MM)`; second 60 only where the UTC time is 23:59.
    static func isTime(_ bytes: Bytes) -> Bool {
        guard bytes.count >= 9, bytes[bytes.startIndex + 2] == UInt8(ascii: ":"),
            bytes[bytes.startIndex + 5] == UInt8(ascii: ":"),
            let hour = fixedDigits(bytes, 0, 2), let minute = fixedDigits(bytes, 3, 2),
            let second = fixedDigits(bytes, 6, 2), hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = bytes.startIndex + 8
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            while index < bytes.endIndex, bytes[index].isASCIIDigit { index += 1 }
            guard index > digitsStart else { return false }
        }
        guard index < bytes.endIndex else { return false }
        var offsetMinutes = 0
        if bytes[index] | 0x20 == UInt8(ascii: "z") {
            guard index + 1 == bytes.endIndex else { return false }
        } else {
            let sign = bytes[index]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return false }
            let offset = bytes[(index + 1)...]
            guard offset.count == 5, offset[offset.startIndex + 2] == UInt8(ascii: ":"),
                let offsetHour = fixedDigits(offset, 0, 2), let offsetMinute = fixedDigits(offset, 3, 2),
                offsetHour <= 23, offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (sign == UInt8(ascii: "+") ? 1 : -1)
        }
        if second == 60 {
            let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utcMinutes == 23 * 60 + 59
        }
        return true
    }
}

/// RFC 3339 appendix A durations: `P` followed by Y-M-D and/or T H-M-S runs, or weeks alone.
enum DurationFormat {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "P"), bytes.count > 1 else { return false }
        var index = 1
        var dateUnits: [UInt8] = []
        var timeUnits: [UInt8] = []
        var sawTime = false
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "T") {
                guard !sawTime else { return false }
                sawTime = true
                index += 1
                continue
            }
            let digitsStart = index
            while index < bytes.count, bytes[index].isASCIIDigit { index += 1 }
            guard index > digitsStart, index < bytes.count else { return false }
            if sawTime { timeUnits.append(bytes[index]) } else { dateUnits.append(bytes[index]) }
            index += 1
        }
        if sawTime && timeUnits.isEmpty { return false }
        if dateUnits == [UInt8(ascii: "W")] { return timeUnits.isEmpty }
        return isRun(dateUnits, of: Array("YMD".utf8)) && isRun(timeUnits, of: Array("HMS".utf8))
            && !(dateUnits.isEmpty && timeUnits.isEmpty)
    }

    /// Whether `units` is a contiguous, in-order stretch of `order` (or empty).
    private static func isRun(_ units: [UInt8], of order: [UInt8]) -> Bool {
        guard let first = units.first else { return true }
        guard let start = order.firstIndex(of: first), start + units.count <= order.count else {
            return false
        }
        return Array(order[start..<(start + units.count)]) == units
    }
}
