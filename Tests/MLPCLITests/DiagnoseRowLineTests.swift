import Foundation
import Testing

/// An error about one row of the data names the row's line in the file, as the reader's own errors do
/// ("d.csv, line 3, column 'x2': …"), not the row's index among the data rows.
@Suite struct DiagnoseRowLineTests {
    @Test func aNegativePoissonTargetNamesItsLine() throws {
        let dir = try CLI.temporaryDirectory()
        // A blank line before the bad row: data row 4 sits on line 6.
        var csv = "a,y\n1,2\n2,3\n3,1\n\n4,-1\n"
        for i in 5..<20 { csv += "\(i),\(i % 4)\n" }
        try CLI.write(csv, to: dir + "/d.csv")
        let r = try CLI.run(["diagnose", "d.csv", "--target", "y", "--regression", "--loss", "poisson", "-q"], in: dir)
        expectCleanError(r, code: 1, contains: "d.csv, line 6, column 'y': the target is -1.0: the Poisson loss needs targets of 0 or more")
    }
}
