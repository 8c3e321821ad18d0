// A finite feature that the pipeline's input makes infinite: beyond float32's range for a float32 network, or past the
// largest number once scaled (a value far outside the rows the scaler was fitted on, or one so close to the limit
// that centring it overflows). The estimator sees only the infinity and says "Input X contains infinity (row 1,
// column 1, 0-based)"; the pipeline still has the table, so it names the file, line, column and value instead.

/// The scaler a table's features went through, and where it was fitted, for the message.
package enum OverflowingScaler {
    /// Fitted on the rows being fitted (`fit`).
    case fittedOnTheseRows(FeatureScaler)
    /// Fitted before: predicting, scoring, or continuing a fit with `warmStart`.
    case model(FeatureScaler)
    /// Fitted on each training fold of a cross-validation (of this kind); which fold is not known.
    case trainingFold(ScalerKind)
}

extension MLPError {
    /// This error as the ``DataError`` that names the table's cell behind it, when it is a non-finite input whose value
    /// in the table is finite (the conversion to float32 or the scaling overflowed); any other error as it is.
    /// - Parameters:
    ///   - table: the table whose rows the estimator was given, its row `firstRow` as the estimator's row 0.
    ///   - firstRow: the table row of the estimator's first row.
    ///   - scaler: the scaler the features went through.
    ///   - float32: whether the network's element type is Float.
    package func namingOverflow(in table: DataTable, firstRow: Int = 0, scaler: OverflowingScaler,
                                float32: Bool) -> Error {
        guard case .nonFiniteInput("X", let row, let column, _) = self, table.featureCount > 0,
              column < table.featureCount, firstRow + row < table.rowCount else { return self }
        let r = firstRow + row
        let value = table.features[r * table.featureCount + column]
        guard value.isFinite else { return self }
        func error(_ message: String) -> DataError {
            DataError(.nonFinite, message, file: table.source, line: r < table.lines.count ? Int(table.lines[r]) : nil,
                      column: table.featureNames[column])
        }
        if float32 && !Float(value).isFinite {
            return error("\(value) is beyond float32's range (±3.4e38), the element type of the network")
        }
        let limit = float32 ? "float32's limit (±3.4e38)" : "float64's limit (±1.8e308)"
        let close = "values this close to \(limit) cannot be scaled"
        switch scaler {
        case .model(let s):
            guard let formula = Self.formula(s, column: column) else { return self }
            return error("\(value) overflows to infinity when scaled by the model's \(formula); the value is far "
                         + "outside the data the model was trained on")
        case .fittedOnTheseRows(let s):
            guard let formula = Self.formula(s, column: column) else { return self }
            return error("\(value) overflows to infinity when scaled by the \(formula) fitted on the training rows; \(close)")
        case .trainingFold(let kind):
            guard kind != .none else { return self }
            return error("\(value) overflows to infinity when scaled by the \(kind == .standard ? "StandardScaler" : "MinMaxScaler") "
                         + "fitted on a training fold; the value is too close to \(limit), or too far from the fold's "
                         + "training rows, to be scaled")
        }
    }

    /// The scaler's formula for one column, with its fitted numbers; nil for no scaling.
    private static func formula(_ scaler: FeatureScaler, column j: Int) -> String? {
        switch scaler {
        case .none: nil
        case .standard(let s): "StandardScaler ((x - \(short(s.mean[j]))) / \(short(s.scale[j])))"
        case .minmax(let s): "MinMaxScaler (x * \(short(s.scale[j])) + \(short(s.offset[j])))"
        }
    }

    /// Four significant digits: enough to recognize a mean or a scale.
    private static func short(_ v: Double) -> String { String(printf: "%.4g", v) }

    /// The error of a fold's rows as `x` would give it: a non-finite input's row taken back to its row in `x`.
    /// - Parameter rows: the rows of `x` the fold's matrix holds, in its order.
    func rowsMapped(to rows: [Int]) -> MLPError {
        guard case .nonFiniteInput(let what, let row, let column, let value) = self, row < rows.count else { return self }
        return .nonFiniteInput(what: what, row: rows[row], column: column, value: value)
    }
}
