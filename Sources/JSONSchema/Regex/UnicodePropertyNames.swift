extension UnicodeProperty {
    /// Looks up `\p{name}` or `\p{name=value}` as ECMA-262 spells them.
    static func named(_ text: String) -> UnicodeProperty? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            guard parts[0] == "General_Category" || parts[0] == "gc" else { return nil }
            return generalCategories[parts[1]].map { .categories($0) }
        }
        if let categories = generalCategories[text] { return .categories(categories) }
        return binaryProperties[text]
    }

    private static let binaryProperties: [String: UnicodeProperty] = [
        "Alphabetic": .alphabetic, "Alpha": .alphabetic, "White_Space": .whiteSpace, "space": .whiteSpace,
        "Uppercase": .uppercase, "Upper": .uppercase, "Lowercase": .lowercase, "Lower": .lowercase,
        "ASCII": .ascii, "Any": .any, "Assigned": .assigned, "ASCII_Hex_Digit": .asciiHexDigit,
        "AHex": .asciiHexDigit, "Emoji": .emoji, "Math": .math, "Hex_Digit": .hexDigit, "Hex": .hexDigit,
        "Ideographic": .ideographic, "Ideo": .ideographic, "Noncharacter_Code_Point": .noncharacter,
        "NChar": .noncharacter,
    ]

    private static let generalCategories: [String: [Unicode.GeneralCategory]] = {
        let groups: [([String], [Unicode.GeneralCategory])] = [
            (["Lu", "Uppercase_Letter"], [.uppercaseLetter]),
            (["Ll", "Lowercase_Letter"], [.lowercaseLetter]),
            (["Lt", "Titlecase_Letter"], [.titlecaseLetter]),
            (["LC", "Cased_Letter"], [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]),
            (["Lm", "Modifier_Letter"], [.modifierLetter]),
            (["Lo", "Other_Letter"], [.otherLetter]),
            (
                ["L", "Letter"],
                [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
            ),
            (["Mn", "Nonspacing_Mark"], [.nonspacingMark]),
            (["Mc", "Spacing_Mark"], [.spacingMark]),
            (["Me", "Enclosing_Mark"], [.enclosingMark]),
            (["M", "Mark", "Combining_Mark"], [.nonspacingMark, .spacingMark, .enclosingMark]),
            (["Nd", "Decimal_Number", "digit"], [.decimalNumber]),
            (["Nl", "Letter_Number"], [.letterNumber]),
            (["No", "Other_Number"], [.otherNumber]),
            (["N", "Number"], [.decimalNumber, .letterNumber, .otherNumber]),
            (["Pc", "Connector_Punctuation"], [.connectorPunctuation]),
            (["Pd", "Dash_Punctuation"], [.dashPunctuation]),
            (["Ps", "Open_Punctuation"], [.openPunctuation]),
            (["Pe", "Close_Punctuation"], [.closePunctuation]),
            (["Pi", "Initial_Punctuation"], [.initialPunctuation]),
            (["Pf", "Final_Punctuation"], [.finalPunctuation]),
            (["Po", "Other_Punctuation"], [.otherPunctuation]),
            (
                ["P", "Punctuation", "punct"],
                [
                    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                    .initialPunctuation, .finalPunctuation, .otherPunctuation,
                ]
            ),
            (["Sm", "Math_Symbol"], [.mathSymbol]),
            (["Sc", "Currency_Symbol"], [.currencySymbol]),
            (["Sk", "Modifier_Symbol"], [.modifierSymbol]),
            (["So", "Other_Symbol"], [.otherSymbol]),
            (["S", "Symbol"], [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]),
            (["Zs", "Space_Separator"], [.spaceSeparator]),
            (["Zl", "Line_Separator"], [.lineSeparator]),
            (["Zp", "Paragraph_Separator"], [.paragraphSeparator]),
            (["Z", "Separator"], [.spaceSeparator, .lineSeparator, .paragraphSeparator]),
            (["Cc", "Control", "cntrl"], [.control]),
            (["Cf", "Format"], [.format]),
            (["Cs", "Surrogate"], [.surrogate]),
            (["Co", "Private_Use"], [.privateUse]),
            (["Cn", "Unassigned"], [.unassigned]),
            (["C", "Other"], [.control, .format, .surrogate, .privateUse, .unassigned]),
        ]
        var table: [String: [Unicode.GeneralCategory]] = [:]
        for (names, categories) in groups {
            for name in names { table[name] = categories }
        }
        return table
    }()
}
