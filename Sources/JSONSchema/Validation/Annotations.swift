/// What the keywords applied so far have evaluated, for `unevaluatedProperties`/`unevaluatedItems`.
struct Annotations {
    var properties: Set<String> = []
    /// Items before this index were evaluated (by `prefixItems`).
    var itemPrefix = 0
    /// Every item was evaluated (by `items`, `additionalItems` or `unevaluatedItems`).
    var allItems = false
    /// Items matched by `contains`.
    var containedItems: Set<Int> = []

    mutating func merge(_ other: Annotations) {
        properties.formUnion(other.properties)
        itemPrefix = max(itemPrefix, other.itemPrefix)
        allItems = allItems || other.allItems
        containedItems.formUnion(other.containedItems)
    }

    func isItemEvaluated(_ index: Int) -> Bool {
        allItems || index < itemPrefix || containedItems.contains(index)
    }
}
