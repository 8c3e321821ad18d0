import Testing
@testable import MLPDiagnosis

@Suite struct DiagnosisTests {
    @Test func placeholder() { #expect(FindingID.allCases.count == 14) }
}
