#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
import Testing
@testable import MLPDiagnosis

/// The probe's pass (the library's own), unit activity and loss-curve measures.
@Suite struct ProbeTests {
    /// A network with seeded weights in (−scale, scale) and biases `bias`.
    func network(_ sizes: [Int], hidden: Activation, output: Activation, scale: Double = 1, bias: Double? = nil) -> Network<Double> {
        var generator = SplitMix64(seed: 3)
        var n = Network<Double>(layerSizes: sizes, hiddenActivation: hidden, outputActivation: output)
        for i in n.parameters.indices { n.parameters[i] = generator.uniform(-scale, scale) }
        if let bias { for l in 0..<(n.layerCount - 1) { for i in n.biasRange(ofLayer: l) { n.parameters[i] = bias } } }
        return n
    }

    @Test(arguments: [(Activation.tanh, Activation.softmax, 3), (.logistic, .logistic, 1), (.relu, .identity, 1),
                      (.gelu, .identity, 1), (.tanh, .exp, 2)])
    func gradientMatchesCentralDifferences(hidden: Activation, output: Activation, outputs: Int) {
        let n = network([3, 4, 5, outputs], hidden: hidden, output: output, scale: 0.8)
        let x: [Double] = [0.5, -1, 2, 1.5, 0.3, -0.7, -0.2, 0.9, 0.1, 1.1, -1.3, 0.4]
        let target: [Double] = switch output {
        case .softmax: [0, 2, 1, 2]
        case .logistic: [0, 1, 1, 0]
        case .exp: [0.3, 1, 2, 0.5, 0, 4, 1.5, 0.2]   // the Poisson loss: counts, two per row
        default: [0.3, -1, 2, 0.5]
        }
        let pass = ProbePass(n, x: x, rows: 4, target: target)
        var worst = 0.0
        for i in n.parameters.indices {
            var plus = n, minus = n
            plus.parameters[i] += 1e-6
            minus.parameters[i] -= 1e-6
            let numeric = (ProbePass(plus, x: x, rows: 4, target: target).loss
                           - ProbePass(minus, x: x, rows: 4, target: target).loss) / 2e-6
            worst = max(worst, abs(numeric - pass.gradient[i]))
        }
        #expect(worst < 1e-6, "largest gradient error \(worst)")
    }

    /// An exp output's loss is the half Poisson deviance Σ y log(y/ŷ) − y + ŷ a Poisson regressor trains on (the
    /// gradient check alone passes for any loss whose gradient comes with it), averaged over rows.
    @Test func anExpOutputsLossIsThePoissonDeviance() {
        let n = network([3, 4, 2], hidden: .tanh, output: .exp, scale: 0.8)
        let x: [Double] = [0.5, -1, 2, 1.5, 0.3, -0.7, -0.2, 0.9, 0.1, 1.1, -1.3, 0.4]
        let target: [Double] = [0.3, 1, 2, 0.5, 0, 4, 1.5, 0.2]
        let pass = ProbePass(n, x: x, rows: 4, target: target)
        var deviance = 0.0
        for (p, y) in zip(pass.outputs.last!, target) {
            let yLogRatio: Double = y > 0 ? y * log(y / p) : 0
            deviance += (yLogRatio - y + p) / 4
        }
        #expect(abs(pass.loss - deviance) < 1e-12, "\(pass.loss) vs \(deviance)")
    }

    @Test func deadReluUnitsAreCounted() {
        let probe = NetworkProbe(x: Matrix(rows: 2, columns: 2, storage: [0.1, 0.2, 0.3, -0.1]), target: [0, 1])
        let dead = probe.measure(network([2, 6, 1], hidden: .relu, output: .logistic, scale: 0.1, bias: -100))
        #expect(dead.deadShare == [1])
        let alive = probe.measure(network([2, 6, 1], hidden: .relu, output: .logistic, scale: 0.1, bias: 100))
        #expect(alive.deadShare == [0])
    }

    @Test func saturatedUnitsAndVanishingGradientsAreMeasured() {
        let probe = NetworkProbe(x: Matrix(rows: 2, columns: 2, storage: [0.1, 0.2, 0.3, -0.1]), target: [0, 1])
        let saturated = probe.measure(network([2, 4, 4, 1], hidden: .logistic, output: .logistic, scale: 0.1, bias: 30))
        #expect(saturated.saturatedShare == [1, 1])
        #expect(saturated.gradientRMS[0] < saturated.gradientRMS[2] / 10)
        let healthy = probe.measure(network([2, 4, 4, 1], hidden: .logistic, output: .logistic, scale: 0.1, bias: 0))
        #expect(healthy.saturatedShare == [0, 0])
    }

    @Test func lossCurveShapes() {
        let steady = LossCurveShape([4, 3, 2.5, 2.2, 2.1, 2.05])
        #expect(steady.signChangeShare == 0)
        #expect(!steady.diverged)
        #expect(!steady.zigzags && !steady.isUnstable)
        let zigzag = LossCurveShape([4, 3, 3.5, 2.9, 3.4, 2.8, 3.3])
        #expect(zigzag.signChangeShare == 1)
        #expect(zigzag.zigzags && zigzag.isUnstable)
        // Three steps down, one up: the direction changes at half the steps, over the third that marks noise, and
        // the loss never climbs above its start.
        let stumbling = LossCurveShape([20, 19, 18, 17, 17.5, 16.5, 15.5, 14.5, 15, 14, 13, 12, 12.5, 11.5])
        #expect(stumbling.signChangeShare == 0.5 && stumbling.peakOverFirst == 1)
        #expect(stumbling.zigzags && stumbling.isUnstable)
        #expect(LossCurveShape([1, 1.2, 1.4, 1.6]).isUnstable)   // climbs above its start, steadily
        #expect(LossCurveShape([1, 2, 5000]).diverged)
        #expect(LossCurveShape([1, .infinity]).diverged)
    }

    @Test func rangeTestSuggestsAStepBelowTheBlowUp() {
        let (x, y) = TestData.blobs()
        var p = MLPParameters()
        p.solver = .sgd
        let test = LearningRateRangeTest(parameters: p, layerSizes: [4, 16, 3], outputActivation: .softmax, x: x,
                                         target: y.map(Double.init), seed: 1)
        #expect(test.minimumOverTen > LearningRateRangeTest.minimumRate)
        #expect(test.minimumOverTen < LearningRateRangeTest.maximumRate / 10)
        #expect(test.losses.min()! < test.losses.first!)
    }
}

@Suite struct ActivationHistogramTests {
    @Test func binsCoverTheValuesAndCountEachOnce() {
        let values = [0.0, 0.1, 0.5, 0.5, 0.99, 1.0, .nan]
        let h = ActivationHistogram(layer: 1, values: values, bins: 4)
        #expect(h.lower == 0 && h.upper == 1)
        #expect(h.counts == [2, 0, 2, 2])
        let constant = ActivationHistogram(layer: 2, values: [0, 0, 0], bins: 3)
        #expect(constant.counts.reduce(0, +) == 3)
        #expect(constant.upper > constant.lower)
    }
}
