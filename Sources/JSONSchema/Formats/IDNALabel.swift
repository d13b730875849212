/// A subset of IDNA2008 (RFC 5891/5892) for decoded `xn--` labels: code points must be PVALID
/// (letters, digits and marks that are stable under NFKC case folding, plus the listed exceptions),
/// the label must not start with a mark or have `--` in positions 3-4, and the CONTEXTO rules and the
/// Virama half of the CONTEXTJ rules hold. Not checked: Bidi rules (RFC 5893), the joining-type half of
/// the ZERO WIDTH NON-JOINER rule, and NFC normalization; script tests use Unicode block ranges.
enum IDNALabel {
    static func isValid(_ label: [UInt32]) -> Bool {
        let scalars = label.compactMap(Unicode.Scalar.init)
        guard scalars.count == label.count, !scalars.isEmpty, !scalars.allSatisfy(\.isASCII) else {
            return false
        }
        if scalars.count >= 4, scalars[2] == "-", scalars[3] == "-" { return false }
        if scalars.first == "-" || scalars.last == "-" { return false }
        if isMark(scalars[0]) { return false }
        for (position, scalar) in scalars.enumerated() {
            guard isPermitted(scalar, at: position, in: scalars) else { return false }
        }
        let hasArabicIndic = scalars.contains { (0x0660...0x0669).contains($0.value) }
        let hasExtendedArabicIndic = scalars.contains { (0x06F0...0x06F9).contains($0.value) }
        return !(hasArabicIndic && hasExtendedArabicIndic)
    }

    private static let pvalidExceptions: Set<UInt32> = [0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007]
    private static let disallowedExceptions: Set<UInt32> = [
        0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B,
    ]

    private static func isPermitted(_ scalar: Unicode.Scalar, at position: Int, in label: [Unicode.Scalar])
        -> Bool
    {
        let value = scalar.value
        if pvalidExceptions.contains(value) { return true }
        if disallowedExceptions.contains(value) { return false }
        switch value {
        case 0x00B7:  // MIDDLE DOT: only between two 'l's
            return position > 0 && position + 1 < label.count && label[position - 1] == "l"
                && label[position + 1] == "l"
        case 0x0375:  // GREEK KERAIA: followed by Greek
            return position + 1 < label.count && isGreek(label[position + 1])
        case 0x05F3, 0x05F4:  // HEBREW GERESH/GERSHAYIM: preceded by Hebrew
            return position > 0 && (0x0590...0x05FF).contains(label[position - 1].value)
        case 0x30FB:  // KATAKANA MIDDLE DOT: label has Hiragana, Katakana or Han
            return label.contains { $0.value != 0x30FB && isJapanese($0) }
        case 0x0660...0x0669, 0x06F0...0x06F9:
            return true  // mixing is checked over the whole label
        case 0x200C, 0x200D:  // ZERO WIDTH (NON-)JOINER: after a virama
            return position > 0 && label[position - 1].properties.canonicalCombiningClass == .virama
        default:
            break
        }
        if scalar.isASCII {
            return (scalar.properties.isLowercase && scalar.properties.isAlphabetic)
                || (0x30...0x39).contains(value)
                || value == 0x2D
        }
        let properties = scalar.properties
        guard !properties.changesWhenNFKCCaseFolded, !properties.isDefaultIgnorableCodePoint,
            !properties.isNoncharacterCodePoint
        else { return false }
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter,
            .nonspacingMark,
            .spacingMark:
            return true
        default:
            return false
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
        (0x0370...0x03FF).contains(scalar.value) || (0x1F00...0x1FFF).contains(scalar.value)
    }

    private static func isJapanese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xF900...0xFAFF,
            0x20000...0x3FFFF:
            true
        default: false
        }
    }
}
