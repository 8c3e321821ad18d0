import Testing
@testable import MLPCore

// The finiteness probe runs in vector lanes over blocks of 32 values and a scalar tail: a NaN or infinity in any
// position of either part is found, and no finite value (however large) is reported.
@Suite struct NonFiniteCheckTests {
    static func check<T: KernelFloat>(_ type: T.Type) throws {
        for count in [0, 1, 7, 31, 32, 33, 64, 95, 100] {
            var values = (0..<count).map { T($0 % 7) - 3 }
            if count > 0 { values[count / 2] = T.greatestFiniteMagnitude }
            try values.withUnsafeBufferPointer { buffer in
                #expect(!InputValidation.containsNonFinite(buffer), "\(T.self) \(count) finite values")
                try InputValidation.checkFinite(buffer, columns: 5, what: "X")
            }
            for position in 0..<count {
                for bad in [T.nan, T.infinity, -T.infinity] {
                    var poisoned = values
                    poisoned[position] = bad
                    poisoned.withUnsafeBufferPointer { buffer in
                        #expect(InputValidation.containsNonFinite(buffer), "\(T.self) \(bad) at \(position) of \(count)")
                    }
                    do {
                        try InputValidation.checkFinite(poisoned, columns: 5, what: "X")
                        Issue.record("\(T.self) \(bad) at \(position) of \(count): no error")
                    } catch let MLPError.nonFiniteInput(what, row, column, value) {
                        #expect(what == "X" && row == position / 5 && column == position % 5
                                    && (bad.isNaN ? value.isNaN : value == Double(bad)))
                    }
                }
            }
        }
    }

    @Test func everyPositionIsChecked() throws {
        try Self.check(Double.self)
        try Self.check(Float.self)
    }
}
