import MLPTestSupport
import Testing
@testable import MLPDiagnosis

/// The signed-rank test against scipy (`Scripts/make_rank_test_fixtures.py`): exact over every sign assignment up to
/// 20 differences, the tie-corrected normal approximation beyond.
@Suite struct RankTestTests {
    struct Case: Decodable {
        let name: String
        let differences: [Double]
        let pvalue: Double
        let method: String
    }

    struct Fixture: Decodable { let cases: [Case] }

    @Test func pValuesAreScipys() throws {
        let fixture = try FixtureFiles.decode("signed_rank_scipy.json", in: "MLPDiagnosisTests", as: Fixture.self)
        #expect(fixture.cases.contains { $0.method == "exact" } && fixture.cases.contains { $0.method == "approx" })
        for c in fixture.cases {
            let p = RankTest.signedRankPValue(c.differences)
            #expect(abs(p - c.pvalue) <= 1e-12 * max(1, c.pvalue), "\(c.name) (\(c.method)): \(p), scipy \(c.pvalue)")
        }
    }

    @Test func handWorkedCases() {
        // All five differences positive: one sign assignment of 2⁵ is as extreme.
        #expect(RankTest.signedRankPValue([1, 2, 3, 4, 5]) == 1.0 / 32)
        // Ranks 1…5, the smallest negative: W⁺ = 14, reached by 2 of 32 assignments.
        #expect(RankTest.signedRankPValue([-1, 2, 3, 4, 5]) == 2.0 / 32)
        // |−1| and |1| tie at rank 1.5: W⁺ = 1.5 + 3 = 4.5 of 6, reached by the assignments with 3 positive and
        // either or both of the tied pair (3 of 8).
        #expect(RankTest.signedRankPValue([-1, 1, 2]) == 3.0 / 8)
        #expect(RankTest.signedRankPValue([0, 0, 0]) == 1)
        #expect(RankTest.signedRankPValue([-1, -2, -3]) == 1)
    }
}
