import MLPTestSupport
import Testing
@testable import MLPCore

/// Scalers against scikit-learn 1.9.1 (Scripts/make_core_fixtures.py).
struct ScalerTests {
    struct Case: Decodable {
        let x: [Double], rows: Int, columns: Int, scale: [Double]
        let standard_mean: [Double], standard_scale: [Double], minmax: [Double]
        var matrix: Matrix<Double> { Matrix(rows: rows, columns: columns, storage: x) }
    }
    /// NaN is null in the fixture (JSON has none).
    struct MissingValueCase: Decodable {
        let x: [Double?], rows: Int, columns: Int
        let standard_mean: [Double?], standard_scale: [Double?], standard: [Double?]
        let minmax_scale: [Double?], minmax_offset: [Double?], minmax: [Double?]
        var matrix: Matrix<Double> { Matrix(rows: rows, columns: columns, storage: Self.nan(x)) }
        static func nan(_ values: [Double?]) -> [Double] { values.map { $0 ?? .nan } }
    }
    struct Reference: Decodable {
        let seed_scalers: Case; let wide_scalers: Case; let offset_scalers: Case
        let missing_value_scalers: MissingValueCase
    }

    static func cases() throws -> [Case] {
        let reference = try FixtureFiles.decode("core_reference.json", in: "MLPTests", as: Reference.self)
        return [reference.seed_scalers, reference.wide_scalers]
    }

    @Test func standardScalerMatchesScale() throws {
        for c in try Self.cases() {
            var scaler = StandardScaler()
            let scaled = try scaler.fitTransform(c.matrix)
            assertClose(scaled.storage, c.scale, relative: 1e-14, absolute: 1e-15, "scale(X)")
            assertClose(scaler.mean, c.standard_mean, relative: 1e-14, "mean_")
            assertClose(scaler.scale, c.standard_scale, relative: 1e-14, "scale_")
            assertClose(try scaler.inverseTransform(scaled).storage, c.x, relative: 1e-13, absolute: 1e-13, "inverse")
        }
    }

    /// mean_ and scale_ are scikit-learn's bits (the sums in numpy's order, the variance's correction term), also
    /// for columns far from 0 whose correction moves scale_ (the offset case; without it, 1 ulp off).
    @Test func standardScalerStatisticsAreScikitLearnsBits() throws {
        let reference = try FixtureFiles.decode("core_reference.json", in: "MLPTests", as: Reference.self)
        for c in [reference.seed_scalers, reference.wide_scalers, reference.offset_scalers] {
            var scaler = StandardScaler()
            try scaler.fit(c.matrix)
            #expect(scaler.mean == c.standard_mean)
            #expect(scaler.scale == c.standard_scale)
        }
    }

    @Test("a matrix of another width is refused with scikit-learn's message, by transform and inverseTransform")
    func anotherWidthIsRefused() throws {
        let train = Matrix<Double>(rows: 3, columns: 2, storage: [1, 2, 3, 4, 5, 7])
        let wide = Matrix<Double>(rows: 1, columns: 3, storage: [1, 2, 3])
        var standard = StandardScaler(), minmax = MinMaxScaler()
        try standard.fit(train)
        try minmax.fit(train)
        let expected = { (name: String) in MLPError.featureCountMismatch(got: 3, expected: 2, estimator: name) }
        #expect(throws: expected("StandardScaler")) { try standard.transform(wide) }
        #expect(throws: expected("StandardScaler")) { try standard.inverseTransform(wide) }
        #expect(throws: expected("MinMaxScaler")) { try minmax.transform(wide) }
        #expect(throws: expected("MinMaxScaler")) { try minmax.inverseTransform(wide) }
        #expect(throws: expected("StandardScaler")) { try FeatureScaler.standard(standard).transform(wide) }
        #expect(expected("StandardScaler").description
                == "X has 3 features, but StandardScaler is expecting 2 features as input.")
        #expect(try standard.transform(train).columns == 2)
    }

    @Test func constantColumnIsLeftUnscaled() throws {
        let wide = try Self.cases()[1]
        var scaler = StandardScaler()
        _ = try scaler.fitTransform(wide.matrix)
        #expect(scaler.scale[1] == 1)
    }

    /// Also the offset case, whose last column spans one ulp of 1.0: a range below 10ε counts as 1.
    @Test func minMaxScalerMatchesScikitLearn() throws {
        let offset = try FixtureFiles.decode("core_reference.json", in: "MLPTests", as: Reference.self).offset_scalers
        for c in try Self.cases() + [offset] {
            var scaler = MinMaxScaler()
            let scaled = try scaler.fitTransform(c.matrix)
            assertClose(scaled.storage, c.minmax, relative: 1e-14, absolute: 1e-15, "MinMaxScaler")
        }
    }

    @Test func missingValuesAreLeftOutOfTheStatisticsAndKeptInTheOutput() throws {
        let c = try FixtureFiles.decode("core_reference.json", in: "MLPTests", as: Reference.self).missing_value_scalers
        var standard = StandardScaler()
        let standardized = try standard.fitTransform(c.matrix)
        assertClose(standard.mean, MissingValueCase.nan(c.standard_mean), relative: 1e-14, "mean_")
        assertClose(standard.scale, MissingValueCase.nan(c.standard_scale), relative: 1e-14, "scale_")
        assertClose(standardized.storage, MissingValueCase.nan(c.standard), relative: 1e-14, absolute: 1e-15, "transform")
        var minMax = MinMaxScaler()
        let mapped = try minMax.fitTransform(c.matrix)
        assertClose(minMax.scale, MissingValueCase.nan(c.minmax_scale), relative: 1e-14, "scale_")
        assertClose(minMax.offset, MissingValueCase.nan(c.minmax_offset), relative: 1e-14, "min_")
        assertClose(mapped.storage, MissingValueCase.nan(c.minmax), relative: 1e-14, absolute: 1e-15, "MinMaxScaler")
        // assertClose passes NaN against NaN: the output keeps each missing cell, and only those, missing.
        #expect(standardized.storage.map(\.isNaN) == c.matrix.storage.map(\.isNaN))
        #expect(mapped.storage.map(\.isNaN) == c.matrix.storage.map(\.isNaN))
    }

    @Test func float32DataIsScaledInFloat32() throws {
        let x = Matrix<Float>([[1, 2], [3, 4], [5, 8]])
        var scaler = StandardScaler()
        let scaled = try scaler.fitTransform(x)
        #expect(abs(scaled[0, 0] + 1.2247449) < 1e-6)
        #expect(abs(scaled.storage.reduce(0, +)) < 1e-6)
    }
}
