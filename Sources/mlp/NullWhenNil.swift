/// Writes a missing value as JSON `null` instead of leaving its key out (what synthesized `Encodable` does for an
/// optional), so the `--json` outputs always carry their documented keys.
@propertyWrapper
struct NullWhenNil<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}
