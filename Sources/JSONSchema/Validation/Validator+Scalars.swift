import JSON

extension Validator {
    mutating func applyString(_ keyword: Keyword, of node: SchemaNode, to text: String) -> Bool {
        switch keyword {
        case .minLength(let limit):
            // A scalar takes one to four bytes, so the byte count alone usually settles it.
            let bytes = text.utf8.count
            if bytes < limit || (bytes < limit * 4 && text.unicodeScalars.count < limit) {
                return fail(node, "minLength", Messages.length(atLeast: limit))
            }
        case .maxLength(let limit):
            if text.utf8.count > limit, text.unicodeScalars.count > limit {
                return fail(node, "maxLength", Messages.length(atMost: limit))
            }
        case .pattern(let regex):
            switch regex.search(text) {
            case .match: break
            case .noMatch: return fail(node, "pattern", "must match the pattern \(regex.pattern)")
            case .tooComplex:
                return fail(node, "pattern", "could not be checked against the pattern \(regex.pattern)")
            }
        case .format(let checker):
            if !checker.isValid(text) { return fail(node, "format", "must be \(checker.expectation)") }
        default:
            break
        }
        return true
    }

    mutating func applyNumber(_ keyword: Keyword, of node: SchemaNode, to value: JSON) -> Bool {
        switch keyword {
        case .minimum(let limit):
            if NumberMath.compare(value, limit) < 0 {
                return fail(node, "minimum", "must be at least \(limit)")
            }
        case .maximum(let limit):
            if NumberMath.compare(value, limit) > 0 {
                return fail(node, "maximum", "must be at most \(limit)")
            }
        case .exclusiveMinimum(let limit):
            if NumberMath.compare(value, limit) <= 0 {
                return fail(node, "exclusiveMinimum", "must be greater than \(limit)")
            }
        case .exclusiveMaximum(let limit):
            if NumberMath.compare(value, limit) >= 0 {
                return fail(node, "exclusiveMaximum", "must be less than \(limit)")
            }
        case .multipleOf(let divisor):
            if !NumberMath.isMultiple(value, of: divisor) {
                return fail(node, "multipleOf", "must be a multiple of \(divisor)")
            }
        default:
            break
        }
        return true
    }
}
