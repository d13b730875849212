import JSON

/// Writes a JSON object as an `application/x-www-form-urlencoded` body, with bracket notation for
/// nesting as Stripe and Rails read it: `metadata[plan]=pro`, `items[0][id]=7`.
enum FormEncoder {
    /// The encoded body. Scalars render as text (null as an empty value); empty arrays and objects
    /// add nothing. Throws unless `value` is an object.
    static func encode(_ value: JSON) throws(RequestError) -> String {
        guard case .object(let object) = value else {
            throw .invalidValue("a form body must be an object, not \(JSONPath.kind(of: value))")
        }
        var pairs: [String] = []
        for (key, member) in object {
            append(member, name: TextEncoding.formEncode(key), to: &pairs)
        }
        return pairs.joined(separator: "&")
    }

    /// `name` is already encoded; brackets are added literally around each encoded key or index.
    private static func append(_ value: JSON, name: String, to pairs: inout [String]) {
        switch value {
        case .object(let object):
            for (key, member) in object {
                append(member, name: name + "[" + TextEncoding.formEncode(key) + "]", to: &pairs)
            }
        case .array(let items):
            for (index, item) in items.enumerated() { append(item, name: name + "[\(index)]", to: &pairs) }
        default:
            pairs.append(name + "=" + TextEncoding.formEncode(value.templateText))
        }
    }
}
