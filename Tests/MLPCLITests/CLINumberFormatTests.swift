import Foundation
import Testing

// The tool's own progress and summary lines print huge losses in scientific notation; scikit-learn's --verbose lines
// keep its `%.8f`.

@Suite struct CLINumberFormatTests {
    @Test func hugeLossesArePrintedInScientificNotation() throws {
        let r = try CLI.run(["train", "--dataset", "iris", "--alpha", "1e300", "--max-iter", "3", "-o", "/dev/null"])
        #expect(r.code == 0, "\(r.stderr)")
        let summary = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("final loss ") })
        #expect(summary.count < 30 && summary.contains("e+298"), "\(summary)")
        let progress = r.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        #expect(progress.count == 3 && progress.allSatisfy { $0.count < 60 && $0.contains("e+298") }, "\(r.stderr)")
        let lbfgs = try CLI.run(["train", "--dataset", "iris", "--solver", "lbfgs", "--alpha", "1e300", "--max-iter", "5",
                                 "-o", "/dev/null"])
        let line = try #require(lbfgs.stdout.split(separator: "\n").first { $0.hasPrefix("final loss ") })
        #expect(line.count < 30 && line.contains("e+"), "\(line)")
    }

    @Test func everydayLossesKeepSixDecimalsAndVerboseKeepsScikitLearnsFormat() throws {
        let r = try CLI.run(["train", "--dataset", "iris", "--max-iter", "3", "--random-state", "0", "-o", "/dev/null"])
        let summary = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("final loss ") })
        #expect(summary.wholeMatch(of: /final loss \d\.\d{6}/) != nil, "\(summary)")
        #expect(r.stdout.contains("training accuracy 0.") , "\(r.stdout)")
        let verbose = try CLI.run(["train", "--dataset", "iris", "--alpha", "1e300", "--max-iter", "1", "-v",
                                   "-o", "/dev/null"])
        let iteration = try #require(verbose.stderr.split(separator: "\n").first { $0.hasPrefix("Iteration 1, loss = ") })
        // scikit-learn's `loss = %.8f`, every digit of it.
        #expect(iteration.count > 290 && iteration.hasSuffix(".00000000") && !iteration.contains("e+"), "\(iteration)")
    }
}
