import JSON

extension Validator {
    mutating func applyArray(
        _ keyword: Keyword, of node: SchemaNode, to elements: [JSON], annotations: inout Annotations?
    ) -> Bool {
        switch keyword {
        case .minItems(let limit):
            if elements.count < limit {
                return fail(node, "minItems", Messages.count("item", atLeast: limit))
            }
        case .maxItems(let limit):
            if elements.count > limit { return fail(node, "maxItems", Messages.count("item", atMost: limit)) }
        case .uniqueItems:
            if let (first, second) = firstDuplicate(in: elements) {
                return fail(
                    node, "uniqueItems",
                    "must not contain duplicates (items \(first) and \(second) are equal)")
            }
        case .prefixItems(let nodes):
            var isValid = true
            for (index, element) in zip(nodes.indices, elements)
            where !validate(nodes[index], element, at: .index(index)) {
                isValid = false
                if !isRecording { return false }
            }
            if let prefix = annotations?.itemPrefix {
                annotations?.itemPrefix = max(prefix, min(nodes.count, elements.count))
            }
            return isValid
        case .items(let child, let start, _):
            var isValid = true
            for index in elements.indices.dropFirst(start)
            where !validate(child, elements[index], at: .index(index)) {
                isValid = false
                if !isRecording { return false }
            }
            annotations?.allItems = true
            return isValid
        case .contains(let child, let minimum, let maximum):
            return applyContains(
                child, minimum: minimum, maximum: maximum, of: node, to: elements, annotations: &annotations)
        case .unevaluatedItems(let child):
            var isValid = true
            for index in elements.indices where annotations?.isItemEvaluated(index) != true {
                if !validate(child, elements[index], at: .index(index)) {
                    isValid = false
                    if !isRecording { return false }
                }
            }
            annotations?.allItems = true
            return isValid
        default:
            break
        }
        return true
    }

    private mutating func applyContains(
        _ child: NodeID, minimum: Int, maximum: Int?, of node: SchemaNode, to elements: [JSON],
        annotations: inout Annotations?
    ) -> Bool {
        var matched: [Int] = []
        for (index, element) in elements.enumerated() {
            var none: Annotations? = nil
            if probe(child, element, annotations: &none) { matched.append(index) }
            // Without annotations to collect, stop as soon as the answer is known.
            if annotations == nil, maximum == nil, matched.count >= minimum { break }
        }
        if matched.count < minimum {
            let message =
                minimum == 1
                ? "must contain at least one matching item"
                : "must contain at least \(minimum) matching items"
            return fail(node, minimum == 1 && maximum == nil ? "contains" : "minContains", message)
        }
        if let maximum, matched.count > maximum {
            return fail(
                node, "maxContains", "must contain at most \(Messages.plural(maximum, "matching item"))")
        }
        annotations?.containedItems.formUnion(matched)
        return true
    }

    private func firstDuplicate(in elements: [JSON]) -> (Int, Int)? {
        guard elements.count > 1 else { return nil }
        if elements.count <= 16 {
            // Pairwise comparison beats hashing for short arrays.
            for second in 1..<elements.count {
                for first in 0..<second where elements[first] == elements[second] { return (first, second) }
            }
            return nil
        }
        var seen: [JSON: Int] = [:]
        for (index, element) in elements.enumerated() {
            if let earlier = seen.updateValue(index, forKey: element) { return (earlier, index) }
        }
        return nil
    }
}
