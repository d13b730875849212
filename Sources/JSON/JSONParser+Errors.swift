extension JSONParser {
    /// An error at `offset` (the current position by default), with its line and column worked out.
    func error(_ kind: JSONParseError.Kind, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var column = 1
        for byte in UnsafeBufferPointer(rebasing: bytes[0..<offset]) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count scalars, not bytes: continuation bytes do not start a new column.
                column += 1
            }
        }
        return JSONParseError(kind: kind, offset: offset, line: line, column: column)
    }

    /// The error for whatever sits at the current position.
    func unexpected() -> JSONParseError {
        guard position < bytes.count else { return error(.unexpectedEndOfInput) }
        if bytes[position] >= 0x80, !isWellFormedScalar(at: position) { return error(.invalidUTF8) }
        return error(.unexpectedCharacter(describeCharacter(at: position)))
    }

    /// The character at `offset`, quoted when printable, or as `U+XXXX` / a byte value otherwise.
    func describeCharacter(at offset: Int) -> String {
        let byte = bytes[offset]
        if (0x21..<0x7F).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x80 { return "U+\(hex(byte, width: 4))" }
        var copy = self
        copy.position = offset
        guard (try? copy.skipMultibyteScalar()) != nil else { return "byte 0x\(hex(byte, width: 2))" }
        let text = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[offset..<copy.position]), as: UTF8.self)
        return "'\(text)'"
    }

    private func isWellFormedScalar(at offset: Int) -> Bool {
        var copy = self
        copy.position = offset
        return (try? copy.skipMultibyteScalar()) != nil
    }
}
