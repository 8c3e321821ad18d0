import Testing

/// Compares two arrays element by element: |actual − expected| ≤ absolute + relative·|expected|.
/// A failure names the first index that differs, both values and the largest error seen.
func assertClose<T: BinaryFloatingPoint>(
    _ actual: [T], _ expected: [T], relative: Double = 1e-12, absolute: Double = 0,
    _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var firstBad: Int?
    var maxError = 0.0
    for i in actual.indices {
        let a = Double(actual[i]), e = Double(expected[i])
        let error = abs(a - e)
        if a.isNaN != e.isNaN || (!(error <= absolute + relative * abs(e)) && a != e) {
            if firstBad == nil { firstBad = i }
        }
        if error.isFinite { maxError = max(maxError, error) }
    }
    if let i = firstBad {
        Issue.record("\(label): index \(i) expected \(expected[i]), got \(actual[i]); max |error| \(maxError)",
                     sourceLocation: sourceLocation)
    }
}
