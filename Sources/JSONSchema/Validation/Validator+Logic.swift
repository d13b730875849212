import JSON

extension Validator {
    mutating func applyLogic(
        _ keyword: Keyword, of node: SchemaNode, to instance: JSON, annotations: inout Annotations?
    )
        -> Bool
    {
        switch keyword {
        case .allOf(let branches):
            var isValid = true
            for branch in branches where !validate(branch, instance, annotations: &annotations) {
                isValid = false
                if !isRecording { return false }
            }
            return isValid
        case .anyOf(let branches):
            var matches = 0
            for branch in branches {
                if probe(branch, instance, annotations: &annotations) {
                    matches += 1
                    // Every passing branch contributes annotations, so only stop early without them.
                    if annotations == nil { break }
                }
            }
            if matches > 0 { return true }
            reportClosestBranch(of: branches, keyword: "anyOf", node: node, instance: instance)
            return false
        case .oneOf(let branches):
            return applyOneOf(branches, of: node, to: instance, annotations: &annotations)
        case .not(let child):
            var none: Annotations? = nil
            guard probe(child, instance, annotations: &none) else { return true }
            let title = schema.nodes[child].title
            return fail(
                node, "not", title.map { "must not be \($0)" } ?? "must not match the schema in 'not'")
        case .conditional(let condition, let then, let otherwise):
            var conditionAnnotations: Annotations? = annotations == nil ? nil : Annotations()
            if probe(condition, instance, annotations: &conditionAnnotations) {
                if let conditionAnnotations { annotations?.merge(conditionAnnotations) }
                guard let then else { return true }
                return validate(then, instance, annotations: &annotations)
            }
            guard let otherwise else { return true }
            return validate(otherwise, instance, annotations: &annotations)
        default:
            return true
        }
    }

    private mutating func applyOneOf(
        _ branches: [NodeID], of node: SchemaNode, to instance: JSON, annotations: inout Annotations?
    ) -> Bool {
        var passing: [Int] = []
        var passingAnnotations: Annotations? = nil
        for (index, branch) in branches.enumerated() {
            var branchAnnotations: Annotations? = annotations == nil ? nil : Annotations()
            guard probe(branch, instance, annotations: &branchAnnotations) else { continue }
            passing.append(index)
            passingAnnotations = branchAnnotations
            if passing.count > 1, !isRecording { return false }
        }
        switch passing.count {
        case 1:
            if let passingAnnotations { annotations?.merge(passingAnnotations) }
            return true
        case 0:
            reportClosestBranch(of: branches, keyword: "oneOf", node: node, instance: instance)
            return false
        default:
            let names = passing.map { Messages.option(schema.nodes[branches[$0]].title, index: $0) }
            return fail(
                node, "oneOf",
                "must match exactly one option, but matches \(Messages.list(names, conjunction: "and"))")
        }
    }

    /// For a failed `anyOf`/`oneOf`: names the branch that came closest and reports its errors only.
    /// The closest branch is the one whose `const` discriminator matches the instance, or else the one
    /// with the fewest errors, preferring branches whose `type` fits.
    private mutating func reportClosestBranch(
        of branches: [NodeID], keyword: String, node: SchemaNode, instance: JSON
    ) {
        guard isRecording else { return }
        var best: (index: Int, errors: [ValidationError], score: Int)?
        for (index, branch) in branches.enumerated() {
            let before = errors.count
            var none: Annotations? = nil
            _ = validate(branch, instance, annotations: &none)
            let branchErrors = Array(errors[before...])
            errors.removeSubrange(before...)
            if discriminatorMatches(branch, instance) {
                best = (index, branchErrors, Int.min)
                break
            }
            let here = PathComponent.pointer(path)
            let typeMismatch = branchErrors.contains {
                $0.instanceLocation == here
                    && ($0.keyword == "type" || $0.keyword == "const" || $0.keyword == "false")
            }
            let score = branchErrors.count + (typeMismatch ? 1000 : 0)
            if best == nil || score < best!.score { best = (index, branchErrors, score) }
        }
        guard let best else { return }
        let name = Messages.option(schema.nodes[branches[best.index]].title, index: best.index)
        let message =
            best.score == Int.min
            ? "is not valid for the \(name) option" : "does not match any allowed option (closest: \(name))"
        report(node, keyword: keyword, message)
        errors.append(contentsOf: best.errors)
    }

    /// Whether some property of the branch has a `const` (or one-value `enum`) the instance matches.
    private func discriminatorMatches(_ branch: NodeID, _ instance: JSON) -> Bool {
        guard case .object(let object) = instance, case .keywords(let keywords) = schema.nodes[branch].body
        else {
            return false
        }
        for case .objectMembers(let rule) in keywords {
            for (name, child) in rule.properties {
                guard let value = object[name], case .keywords(let childKeywords) = schema.nodes[child].body
                else {
                    continue
                }
                for keyword in childKeywords {
                    switch keyword {
                    case .constant(let expected) where expected == value: return true
                    case .enumeration(let values) where values.count == 1 && values[0] == value: return true
                    default: continue
                    }
                }
            }
        }
        return false
    }
}
