/// RFC 5321 mailbox: a dot-atom or quoted-string local part, then a host name or an address literal
/// (`[192.0.2.1]`, `[IPv6:::1]`).
enum EmailFormat {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else {
            return false
        }
        return isLocalPart(bytes[..<at]) && isDomain(bytes[(at + 1)...])
    }

    private static let atomSpecials = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    private static func isLocalPart(_ local: Bytes) -> Bool {
        if local.first == UInt8(ascii: "\""), local.count >= 2, local.last == UInt8(ascii: "\"") {
            var index = local.startIndex + 1
            while index < local.endIndex - 1 {
                let byte = local[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                guard (0x20...0x7E).contains(byte), byte != UInt8(ascii: "\"") else { return false }
                index += 1
            }
            return index == local.endIndex - 1
        }
        let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in
            !atom.isEmpty
                && atom.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || atomSpecials.contains($0) }
        }
    }

    private static func isDomain(_ domain: Bytes) -> Bool {
        guard domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]") else {
            return HostnameFormat.isValid(domain)
        }
        let literal = domain.dropFirst().dropLast()
        let prefix = Array("IPv6:".utf8)
        if literal.starts(with: prefix) {
            return IPAddressFormat.isIPv6(literal.dropFirst(prefix.count))
        }
        return IPAddressFormat.isIPv4(literal)
    }
}
