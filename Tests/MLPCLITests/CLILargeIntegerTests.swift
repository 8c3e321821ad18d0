import Foundation
import Testing

// --n-iter-no-change takes any positive integer (scikit-learn accepts any int) and echoes a refused one as given.

@Suite struct CLILargeIntegerTests {
    @Test(arguments: ["9007199254740993", "99999999999999999999"])
    func nIterNoChangeTakesAnyPositiveInt(_ value: String) throws {
        let r = try CLI.run(["train", "--dataset", "iris", "--n-iter-no-change", value, "--max-iter", "2",
                             "-o", "/dev/null", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
    }

    @Test func aRefusedIntIsEchoedAsGiven() throws {
        let r = try CLI.run(["train", "--dataset", "iris", "--n-iter-no-change", "-9007199254740993", "-o", "/dev/null"])
        expectCleanError(r, code: 2, contains: "Got -9007199254740993 instead.")
    }
}
