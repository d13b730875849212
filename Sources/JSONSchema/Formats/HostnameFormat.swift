/// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens, at most 63 bytes
/// each and 253 in all. `xn--` labels must decode (Punycode) to a valid IDNA2008 label; see
/// `IDNALabel` for which of its rules are checked.
enum HostnameFormat {
    static func isValid(_ bytes: Bytes) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy(isLabel)
    }

    static func isLabel(_ label: Bytes) -> Bool {
        guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"),
            label.last != UInt8(ascii: "-"),
            label.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "-") })
        else { return false }
        guard label.count >= 4, label[label.startIndex + 2] == UInt8(ascii: "-"),
            label[label.startIndex + 3] == UInt8(ascii: "-")
        else { return true }
        // "??--" is reserved for A-labels ("xn--").
        guard label[label.startIndex] | 0x20 == UInt8(ascii: "x"),
            label[label.startIndex + 1] | 0x20 == UInt8(ascii: "n"),
            let decoded = Punycode.decode(label.dropFirst(4))
        else { return false }
        return IDNALabel.isValid(decoded)
    }
}

/// RFC 3492 Punycode decoding.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26

    static func decode(_ input: Bytes) -> [UInt32]? {
        var output: [UInt32] = []
        var position = input.startIndex
        if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
            output = input[..<delimiter].map(UInt32.init)
            position = delimiter + 1
        }
        var code: UInt32 = 128
        var index = 0
        var bias = 72
        while position < input.endIndex {
            let oldIndex = index
            var weight = 1
            var k = base
            while true {
                guard position < input.endIndex, let digit = digitValue(input[position]) else { return nil }
                position += 1
                let (product, overflow1) = digit.multipliedReportingOverflow(by: weight)
                let (sum, overflow2) = index.addingReportingOverflow(product)
                guard !overflow1, !overflow2 else { return nil }
                index = sum
                let threshold = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < threshold { break }
                weight *= base - threshold
                k += base
            }
            bias = adapt(index - oldIndex, count: output.count + 1, isFirst: oldIndex == 0)
            code += UInt32(index / (output.count + 1))
            index %= output.count + 1
            guard code <= 0x10FFFF else { return nil }
            output.insert(code, at: index)
            index += 1
        }
        return output
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        if byte.isASCIIDigit { return Int(byte - UInt8(ascii: "0")) + 26 }
        if byte.isASCIILetter { return Int((byte | 0x20) - UInt8(ascii: "a")) }
        return nil
    }

    private static func adapt(_ delta: Int, count: Int, isFirst: Bool) -> Int {
        var delta = isFirst ? delta / 700 : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + 38)
    }
}
