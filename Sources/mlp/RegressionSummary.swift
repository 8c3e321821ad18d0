import MLP

/// `mlp evaluate`'s printed scores of a regressor: R², MAE and RMSE, and with several targets their uniform averages
/// (scikit-learn's `multioutput='uniform_average'`) followed by one line per target.
enum RegressionSummary {
    /// The summary lines, each ending in a newline.
    /// - Parameters:
    ///   - r: the scores.
    ///   - targetNames: the targets' names, in the order of `r.perOutput`.
    static func text(_ r: RegressionReport, targetNames: [String]) -> String {
        let averaged = r.perOutput.map { " (mean over \($0.count) targets)" } ?? ""
        var s = "samples  \(r.samples)\nR²       \(Output.fixed(r.r2))\(averaged)\n"
            + "MAE      \(Output.significant(r.meanAbsoluteError))\(averaged)\n"
            + "RMSE     \(Output.significant(r.rootMeanSquaredError))\(averaged)\n"
        guard let each = r.perOutput else { return s }
        let names = targetNames.map(Output.terminalLine)
        let width = max(8, (names.map(\.count).max() ?? 0) + 2)
        func pad(_ t: String, _ w: Int) -> String { t.count >= w ? t + " " : t + String(repeating: " ", count: w - t.count) }
        s += "\n" + pad("target", width) + pad("R²", 10) + pad("MAE", 14) + "RMSE\n"
        for (name, scores) in zip(names, each) {
            s += pad(name, width) + pad(Output.fixed(scores.r2), 10) + pad(Output.significant(scores.meanAbsoluteError), 14)
                + Output.significant(scores.rootMeanSquaredError) + "\n"
        }
        return s
    }
}
