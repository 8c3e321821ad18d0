import Testing

/// Expects `actual` to match `expected` element by element, and on failure names the first index that differs,
/// both values, how many elements differ and the largest error (llm.c's OK/NOT OK report, as one issue).
///
/// Element `i` passes when both are NaN, when they are equal (so matching infinities pass), or when
/// `|actual[i] − expected[i]| ≤ bound(i)`. The bound is `tolerance(i)` when given, else
/// `absolute + relative · |expected[i]|`.
///
/// - Parameters:
///   - actual: The values computed by the code under test.
///   - expected: The reference values (a naive loop, numpy, scikit-learn).
///   - relative: The allowed error relative to `|expected[i]|`.
///   - absolute: The allowed error added to the relative one.
///   - tolerance: A per-element bound that replaces `relative` and `absolute` (for ulp-based kernel bounds).
///   - label: What is compared, for the failure message.
///   - sourceLocation: Where the failure is reported.
public func assertClose<T: BinaryFloatingPoint>(
    _ actual: [T], _ expected: [T], relative: Double = 1e-12, absolute: Double = 0,
    tolerance: ((Int) -> T)? = nil, _ label: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(label()): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var firstBad: Int?
    var bad = 0
    var maxError = 0.0
    for i in actual.indices {
        let a = actual[i], e = expected[i]
        if a.isNaN && e.isNaN { continue }
        let error = Double((a - e).magnitude)
        let bound = tolerance.map { Double($0(i)) } ?? absolute + relative * Double(e.magnitude)
        if !(error <= bound) && a != e {
            bad += 1
            if firstBad == nil { firstBad = i }
        }
        if error.isFinite { maxError = max(maxError, error) } else if a != e { maxError = .infinity }
    }
    if let i = firstBad {
        Issue.record("""
            \(label()): \(bad) of \(actual.count) elements differ; first at index \(i): \
            expected \(expected[i]), actual \(actual[i]); max |error| \(maxError)
            """, sourceLocation: sourceLocation)
    }
}
