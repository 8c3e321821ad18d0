import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

// Compares NumPyRandomState with draws made by numpy (Scripts/make_numpy_fixtures.py →
// Fixtures/numpy_random.json). Doubles are compared by bit pattern.

/// Loads a JSON fixture with JSONSerialization (these fixtures store doubles as bit patterns).
func loadRandomFixture(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: FixtureFiles.url("\(name).json", in: "MLPTests"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

nonisolated(unsafe) private let numpyFixture: [String: Any] = {
    do { return try loadRandomFixture("numpy_random") } catch { fatalError("numpy_random.json: \(error)") }
}()

private func ints(_ any: Any?) -> [Int] { (any as! [Any]).map { ($0 as! NSNumber).intValue } }

/// The doubles of a fixture entry, decoded from their hex bit patterns.
private func doubles(_ any: Any?) -> [Double] {
    let entry = any as! [String: Any]
    return (entry["bits"] as! [String]).map { Double(bitPattern: UInt64($0, radix: 16)!) }
}

/// Exact comparison that names the first differing index.
private func expectIdentical(_ actual: [Double], _ expected: [Double], _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): count \(actual.count) vs \(expected.count)",
            sourceLocation: sourceLocation)
    if let i = zip(actual, expected).enumerated().first(where: { $1.0.bitPattern != $1.1.bitPattern })?.offset {
        Issue.record("\(what): first difference at [\(i)]: expected \(expected[i]), got \(actual[i])",
                     sourceLocation: sourceLocation)
    }
}

private func expectIdentical(_ actual: [Int], _ expected: [Int], _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): count \(actual.count) vs \(expected.count)",
            sourceLocation: sourceLocation)
    if let i = zip(actual, expected).enumerated().first(where: { $1.0 != $1.1 })?.offset {
        Issue.record("\(what): first difference at [\(i)]: expected \(expected[i]), got \(actual[i])",
                     sourceLocation: sourceLocation)
    }
}

private var seedCases: [[String: Any]] { numpyFixture["seeds"] as! [[String: Any]] }

@Suite struct RandomStateTests {
    @Test func seedingMatchesNumPyState() {
        let expected = ints(numpyFixture["key_head_seed_1"])
        let rs = NumPyRandomState(seed: 1)
        #expect(rs.key.prefix(8).map(Int.init) == expected)
        #expect(rs.position == 624)
    }

    @Test func seedArrayMatchesNumPy() {
        let entry = numpyFixture["seed_array"] as! [String: Any]
        var rs = NumPyRandomState(seedArray: ints(entry["seed"]).map(UInt32.init))
        #expect(rs.key.prefix(8).map(Int.init) == ints(entry["key_head"]))
        expectIdentical(rs.randomSample(count: 10), doubles(entry["random_sample"]), "seed [1,2,3]")
    }

    @Test(arguments: [0, 1, 42, 12345, 4_294_967_295])
    func uint32Stream(seed: Int) {
        let c = seedCases.first { ($0["seed"] as! NSNumber).intValue == seed }!
        var rs = NumPyRandomState(seed: seed)
        let got = (0..<1300).map { _ in Int(rs.nextUInt32()) }
        expectIdentical(got, ints(c["uint32"]), "uint32 seed \(seed)")
    }

    @Test(arguments: [0, 1, 42, 12345, 4_294_967_295])
    func randomSampleAndUniform(seed: Int) {
        let c = seedCases.first { ($0["seed"] as! NSNumber).intValue == seed }!
        var rs = NumPyRandomState(seed: seed)
        expectIdentical(rs.randomSample(count: 700), doubles(c["random_sample"]), "random_sample seed \(seed)")
        var one = NumPyRandomState(seed: seed)
        #expect(one.randomSample().bitPattern == doubles(c["random_sample"])[0].bitPattern)
        for u in c["uniform"] as! [[String: Any]] {
            let low = (u["low"] as! NSNumber).doubleValue, high = (u["high"] as! NSNumber).doubleValue
            let expected = doubles(u["values"])
            var rs = NumPyRandomState(seed: seed)
            expectIdentical(rs.uniform(low: low, high: high, count: expected.count), expected,
                            "uniform(\(low), \(high)) seed \(seed)")
            var single = NumPyRandomState(seed: seed)
            #expect(single.uniform(low: low, high: high).bitPattern == expected[0].bitPattern)
        }
    }

    @Test(arguments: [0, 1, 42, 12345, 4_294_967_295])
    func randint(seed: Int) {
        let c = seedCases.first { ($0["seed"] as! NSNumber).intValue == seed }!
        for r in c["randint"] as! [[String: Any]] {
            let low = (r["low"] as! NSNumber).intValue, high = (r["high"] as! NSNumber).intValue
            let expected = ints(r["values"])
            var rs = NumPyRandomState(seed: seed)
            expectIdentical(rs.randint(low: low, high: high, count: expected.count), expected,
                            "randint(\(low), \(high)) seed \(seed)")
        }
    }

    @Test(arguments: [0, 1, 42, 12345, 4_294_967_295])
    func shuffleAndPermutation(seed: Int) {
        let c = seedCases.first { ($0["seed"] as! NSNumber).intValue == seed }!
        for (key, value) in c["shuffle"] as! [String: Any] {
            let n = Int(key)!
            var a = Array(0..<n)
            var rs = NumPyRandomState(seed: seed)
            rs.shuffle(&a)
            expectIdentical(a, ints(value), "shuffle(\(n)) seed \(seed)")
        }
        for (key, value) in c["permutation"] as! [String: Any] {
            let n = Int(key)!
            var rs = NumPyRandomState(seed: seed)
            expectIdentical(rs.permutation(n), ints(value), "permutation(\(n)) seed \(seed)")
            var rs2 = NumPyRandomState(seed: seed)
            let letters = (0..<n).map { "x\($0)" }
            #expect(rs2.permutation(of: letters) == ints(value).map { "x\($0)" })
        }
    }

    @Test func mixedCallsKeepTheState() {
        for m in numpyFixture["mixed"] as! [[String: Any]] {
            let seed = (m["seed"] as! NSNumber).intValue
            var rs = NumPyRandomState(seed: seed)
            for (k, step) in (m["steps"] as! [[String: Any]]).enumerated() {
                let what = "seed \(seed) step \(k) \(step["op"]!)"
                switch step["op"] as! String {
                case "uniform":
                    let low = (step["low"] as! NSNumber).doubleValue, high = (step["high"] as! NSNumber).doubleValue
                    expectIdentical(rs.uniform(low: low, high: high, count: (step["count"] as! NSNumber).intValue),
                                    doubles(step["out"]), what)
                case "permutation":
                    expectIdentical(rs.permutation((step["n"] as! NSNumber).intValue), ints(step["out"]), what)
                case "random_sample":
                    expectIdentical(rs.randomSample(count: (step["count"] as! NSNumber).intValue),
                                    doubles(step["out"]), what)
                case "randint":
                    expectIdentical(rs.randint(low: (step["low"] as! NSNumber).intValue,
                                               high: (step["high"] as! NSNumber).intValue,
                                               count: (step["count"] as! NSNumber).intValue), ints(step["out"]), what)
                case "shuffle":
                    var a = Array(0..<(step["n"] as! NSNumber).intValue)
                    rs.shuffle(&a)
                    expectIdentical(a, ints(step["out"]), what)
                case "uint32":
                    let got = (0..<(step["count"] as! NSNumber).intValue).map { _ in Int(rs.nextUInt32()) }
                    expectIdentical(got, ints(step["out"]), what)
                default:
                    Issue.record("unknown op \(step["op"]!)")
                }
            }
            #expect(rs.position == (m["final_position"] as! NSNumber).intValue)
            #expect(rs.key.prefix(8).map(Int.init) == ints(m["final_key_head"]))
        }
    }

    @Test func restoringAStateContinuesTheStream() {
        var a = NumPyRandomState(seed: 7)
        _ = a.randomSample(count: 400)
        var b = NumPyRandomState(key: a.key, position: a.position)
        #expect(a.randomSample(count: 500) == b.randomSample(count: 500))
    }

    @Test func trainTestSplitMatchesScikitLearn() throws {
        var checked = 0
        for c in numpyFixture["train_test_split"] as! [[String: Any]] {
            let n = (c["count"] as! NSNumber).intValue
            let fraction = (c["test_fraction"] as! NSNumber).doubleValue
            let seed = (c["seed"] as! NSNumber).intValue
            let labels = c["stratify"].flatMap { $0 is NSNull ? nil : ints($0) }
            let what = "train_test_split(n=\(n), test_size=\(fraction), seed=\(seed), \(c["name"] ?? "plain"))"
            var rs = NumPyRandomState(seed: seed)
            if c["error"] != nil {
                #expect(throws: TrainTestSplitError.self, "\(what) should fail") {
                    _ = try trainTestSplitIndices(count: n, testFraction: fraction, stratify: labels, using: &rs)
                }
                continue
            }
            let split = try trainTestSplitIndices(count: n, testFraction: fraction, stratify: labels, using: &rs)
            expectIdentical(split.train, ints(c["train"]), "\(what) train")
            expectIdentical(split.test, ints(c["test"]), "\(what) test")
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test func trainTestSplitRejectsBadSizes() {
        var rs = NumPyRandomState(seed: 0)
        #expect(throws: TrainTestSplitError.self) { try trainTestSplitIndices(count: 10, testFraction: 1.0, using: &rs) }
        #expect(throws: TrainTestSplitError.self) { try trainTestSplitIndices(count: 10, testFraction: 0, using: &rs) }
        #expect(throws: TrainTestSplitError.self) { try trainTestSplitIndices(count: 1, testFraction: 0.5, using: &rs) }
        #expect(throws: TrainTestSplitError.self) {
            try trainTestSplitIndices(count: 3, testFraction: 0.5, stratify: [0, 1], using: &rs)
        }
    }

    /// scikit-learn names a class too small to stratify by its value in y; given the labels, so does the error.
    @Test func aClassTooSmallToStratifyIsNamedByItsLabel() {
        var rs = NumPyRandomState(seed: 0)
        let sentence = "The least populated classes in y have only 1 member, which is too few. The minimum number of groups "
            + "for any class cannot be less than 2. Classes with too few members are: "
        do {
            _ = try trainTestSplitIndices(count: 5, testFraction: 0.3, stratify: [0, 0, 1, 1, 2], using: &rs)
            Issue.record("no error")
        } catch let error as TrainTestSplitError {
            #expect(error.description == sentence + "[2]")
            #expect(error.description(classes: ["A", "B", "C"]) == sentence + "['C']")
            #expect(error.description(classes: [1, 5, 9]) == sentence + "[9]")
            #expect(error.description(classes: ["A"]) == sentence + "[2]")  // an index beyond the labels: as it is
        } catch {
            Issue.record("\(error)")
        }
    }

    /// The seed network's initial weights (Fixtures/seed_reference.json): weights_1, weights_2, bias_1, bias_2
    /// drawn in that order as 2*random(shape)-1 from RandomState(random_state).
    @Test func seedNetworkInitialWeights() throws {
        let fixture = try loadRandomFixture("seed_reference")
        for variant in fixture["variants"] as! [[String: Any]] {
            let options = variant["options"] as! [String: Any]
            let seed = (options["random_state"] as! NSNumber).intValue
            let hidden = (options["hidden"] as! NSNumber).intValue
            let initial = variant["initial"] as! [String: Any]
            var rs = NumPyRandomState(seed: seed)
            for (name, count) in [("weights_1", 2 * hidden), ("weights_2", hidden), ("bias_1", hidden), ("bias_2", 1)] {
                let drawn = rs.randomSample(count: count).map { 2 * $0 - 1 }
                expectIdentical(drawn, doubles(initial[name]), "\(variant["name"]!) \(name)")
            }
        }
    }

    @Test func randomIntervalStaysInRange() {
        var rs = NumPyRandomState(seed: 3)
        for bound in [0, 1, 2, 3, 7, 8, 1000, 1 << 33] as [UInt64] {
            for _ in 0..<200 { #expect(rs.randomInterval(bound) <= bound) }
        }
        #expect(NumPyRandomState.mask(covering: 5) == 7)
        #expect(NumPyRandomState.mask(covering: 8) == 15)
        #expect(NumPyRandomState.mask(covering: UInt64.max) == UInt64.max)
    }
}
