import MLP

/// `mlp evaluate`'s scores of a multilabel classifier (several 0/1 target columns), as JSON (stable keys, documented
/// in docs/cli.md) and as text.
struct MultilabelSummary: Encodable {
    /// One label's scores: sklearn `precision_recall_fscore_support(average=None)` for its column.
    struct Label: Encodable { var label: String; var precision: Double; var recall: Double; var f1: Double; var support: Int }
    var task = "multilabel"
    var samples: Int
    /// sklearn `accuracy_score` on indicator matrices: every label of a row right.
    var accuracy: Double
    var hamming_loss: Double
    var per_label: [Label]

    init(_ r: MultilabelReport) {
        samples = r.samples
        accuracy = r.subsetAccuracy
        hamming_loss = r.hammingLoss
        per_label = zip(r.labels, r.perLabel).map {
            Label(label: $0, precision: $1.precision, recall: $1.recall, f1: $1.f1, support: $1.support)
        }
    }

    /// The printed summary: subset accuracy, Hamming loss, then a line per label.
    static func text(_ r: MultilabelReport) -> String {
        let names = r.labels.map(Output.terminalLine)
        let width = max(8, (names.map(\.count).max() ?? 0) + 2)
        func pad(_ t: String, _ w: Int) -> String { t.count >= w ? t + " " : t + String(repeating: " ", count: w - t.count) }
        var s = "samples       \(r.samples)\naccuracy      \(Output.fixed(r.subsetAccuracy)) (every label of a row right)\n"
            + "hamming loss  \(Output.fixed(r.hammingLoss))\n\n"
            + pad("label", width) + pad("precision", 11) + pad("recall", 9) + pad("f1-score", 10) + "support\n"
        for (name, m) in zip(names, r.perLabel) {
            s += pad(name, width) + pad(Output.fixed(m.precision), 11) + pad(Output.fixed(m.recall), 9)
                + pad(Output.fixed(m.f1), 10) + String(m.support) + "\n"
        }
        return s
    }
}
