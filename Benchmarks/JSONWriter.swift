/// One JSON object, written by hand: mlp-bench loads no Foundation, so that the memory it reports is the library's
/// (JSONEncoder would bring in FoundationEssentials: 2.6 MB resident, 7% of the large problem's Float32 X).
struct JSONWriter {
    private var members: [String] = []

    mutating func add(_ key: String, _ value: Double?) {
        guard let value else { return }
        members.append("\(quoted(key)):\(value.isFinite ? "\(value)" : "null")")
    }
    mutating func add(_ key: String, _ value: Int) { members.append("\(quoted(key)):\(value)") }
    mutating func add(_ key: String, _ value: String) { members.append("\(quoted(key)):\(quoted(value))") }
    /// An array of objects, each already written.
    mutating func add(_ key: String, objects: [String]) {
        members.append("\(quoted(key)):[" + objects.joined(separator: ",") + "]")
    }

    var text: String { "{" + members.joined(separator: ",") + "}" }

    /// The stored properties of `value` (String, Int, Double, optional Double; nil left out) as one object.
    static func object(_ value: Any) -> String {
        var writer = JSONWriter()
        for child in Mirror(reflecting: value).children {
            guard let key = child.label else { continue }
            switch child.value {
            case let string as String: writer.add(key, string)
            case let integer as Int: writer.add(key, integer)
            case let number as Double: writer.add(key, number)
            case let number as Double?: writer.add(key, number)
            default: continue
            }
        }
        return writer.text
    }

    private func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
