import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// n_iter_no_change takes any positive int, as scikit-learn does: from 2⁵³ up a Double holds it rounded, which no fit
// can tell from inf; a refused int is quoted as given.

@Suite struct LargeIntegerParameterTests {
    @Test(arguments: ["9007199254740993", "9223372036854775807", "99999999999999999999"])
    func nIterNoChangeTakesAnyPositiveInt(_ text: String) throws {
        var p = MLPParameters()
        try p.setValue(text, forParameter: "n_iter_no_change")
        #expect(p.nIterNoChange >= 9007199254740992)
        try p.validate(for: .classifier)
    }

    @Test(arguments: ["-9007199254740993", "-99999999999999999999", "0"])
    func aRefusedIntIsQuotedAsGiven(_ text: String) {
        var p = MLPParameters()
        let message = mlpErrorDescription { try p.setValue(text, forParameter: "n_iter_no_change") }
        #expect(message.hasSuffix("Got \(text) instead."), "\(message)")
    }

    @Test func aCountBeyondAnyFitStopsAsInfinityDoes() throws {
        let (x, y) = threeSortedClasses()
        func curve(_ nIterNoChange: Double) throws -> [Double] {
            let clf = smallClassifier()
            clf.parameters.maxIter = 40
            clf.parameters.tol = 10  // no epoch improves by tol: a count of 10 would stop after 11 epochs
            clf.parameters.nIterNoChange = nIterNoChange
            try clf.fit(x, y)
            return clf.lossCurve ?? []
        }
        let infinite = try curve(.infinity)
        #expect(infinite.count == 40)
        #expect(try curve(0x1p53) == infinite)
        #expect(try curve(1e20) == infinite)
        #expect(try curve(10).count == 12)
    }
}
