import Testing
@testable import MLPKernels

extension Array where Element: KernelFloat, Element.RawSignificand: FixedWidthInteger {
    /// `count` values uniform in [-1, 1).
    static func random(count: Int, using rng: inout SeededGenerator) -> [Element] {
        (0..<count).map { _ in Element.random(in: -1..<1, using: &rng) }
    }
}

/// Expects `actual[i]` within `tolerance(i)` of `expected[i]` for every i; on failure reports the first
/// bad index, its expected and actual values, the number of bad elements and the max error.
func assertClose<T: KernelFloat>(
    _ actual: [T], _ expected: [T], tolerance: (Int) -> T, _ context: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(context()): count \(actual.count) != \(expected.count)",
            sourceLocation: sourceLocation)
    var firstBad: Int?
    var bad = 0
    var maxError: T = 0
    for i in 0..<Swift.min(actual.count, expected.count) {
        let e = expected[i], a = actual[i]
        if e.isNaN && a.isNaN { continue }
        let error = (a - e).magnitude
        if !(error <= tolerance(i)) && !(a == e) {
            bad += 1
            if firstBad == nil { firstBad = i }
        }
        if error.isFinite { maxError = Swift.max(maxError, error) } else if !(a == e) { maxError = .infinity }
    }
    if let i = firstBad {
        Issue.record("""
            \(context()): \(bad) of \(actual.count) elements differ; first at index \(i): \
            expected \(expected[i]), actual \(actual[i]), tolerance \(tolerance(i)); max error \(maxError)
            """, sourceLocation: sourceLocation)
    }
}
