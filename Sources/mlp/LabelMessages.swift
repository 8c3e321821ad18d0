import MLP

/// Library messages that name classes by their encoded index, rewritten with the labels of the data.
enum LabelMessages {
    private static let tooFewMembers = "Classes with too few members are: ["

    /// `message` with the class indices of scikit-learn's "too few members" list replaced by the labels
    /// ('bird' rather than 0); any other message unchanged.
    /// - Parameters:
    ///   - message: A library message.
    ///   - table: The training data whose target the indices encode (sorted classes, as LabelEncoder sorts them).
    static func naming(_ message: String, table: DataTable) -> String {
        guard let start = message.range(of: tooFewMembers), let end = message[start.upperBound...].firstIndex(of: "]"),
              let classes = try? ClassLabels(table.targetLabels, column: table.targetName).classes else { return message }
        let indices = message[start.upperBound..<end].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard indices.allSatisfy({ $0 != nil && $0! >= 0 && $0! < classes.count }) else { return message }
        let labels = indices.map { "'\(classes[$0!])'" }.joined(separator: ", ")
        return String(message[..<start.upperBound]) + labels + String(message[end...])
    }
}
