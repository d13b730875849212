import JSON

extension JSONObject {
    /// Merges `other` in: where both hold an object the two merge member by member, anywhere else
    /// `other`'s value wins. So a mapped `address.city` fills in the address instead of replacing it.
    mutating func mergeDeeply(_ other: JSONObject) {
        for (key, value) in other {
            if case .object(var existing)? = self[key], case .object(let incoming) = value {
                existing.mergeDeeply(incoming)
                self[key] = .object(existing)
            } else {
                self[key] = value
            }
        }
    }
}
