import MLPCore

extension DiagnosisSession {
    /// The user's configuration trained epoch by epoch (partial fits, so the network can be read after each),
    /// measured on the probe sample. lbfgs has no epochs: one fit, measured at its end.
    ///
    /// A measurement can cost several epochs of training (its own pass over 256 rows), so the measurements together
    /// get about `measuring` seconds (one baseline run's time): after every epoch when that fits, else after every
    /// k-th epoch, the first and the last always.
    func probeEpochs(_ probe: NetworkProbe, x: Matrix<Double>, epochs: Int, measuring: Double) -> [ProbeMeasurement] {
        var parameters = input.parameters
        parameters.randomState = trainer.randomStates.first
        parameters.earlyStopping = false
        parameters.verbose = false
        var measurements: [ProbeMeasurement] = [], stride = 1
        func measure(_ n: Network<Double>?, epoch: Int) {
            guard let n, n.isFinite else { return }
            let clock = ContinuousClock(), start = clock.now
            var measurement = probe.measure(n)
            measurement.epoch = epoch
            measurement.seconds = Self.seconds(clock.now - start)
            measurements.append(measurement)
            if measurements.count == 1 {
                stride = max(1, Int((measurement.seconds * Double(epochs) / max(measuring, 1e-9)).rounded(.up)))
            }
        }
        // Trains one epoch, false when training failed.
        let step: () -> Bool, network: () -> Network<Double>?
        let target = Matrix(rows: x.rows, columns: data.targetWidth, storage: fittedTarget)
        if data.isMultilabel {
            let classifier = MLPClassifier<Double>(parameters: parameters)
            if parameters.solver == .lbfgs {
                _ = try? classifier.fit(x, multilabel: target)
                measure(classifier.network, epoch: classifier.nIter)
                return measurements
            }
            step = { (try? classifier.partialFit(x, multilabel: target)) != nil }
            network = { classifier.network }
        } else if let classes = data.trainClasses {
            let classifier = MLPClassifier<Double>(parameters: parameters)
            if parameters.solver == .lbfgs {
                _ = try? classifier.fit(x, classes)
                measure(classifier.network, epoch: classifier.nIter)
                return measurements
            }
            let all = (0..<data.classCount).map { ClassLabel($0) }
            let labels = classes.map { ClassLabel($0) }
            step = { (try? classifier.partialFit(x, labels, classes: all)) != nil }
            network = { classifier.network }
        } else {
            let regressor = MLPRegressor<Double>(parameters: parameters)
            if parameters.solver == .lbfgs {
                _ = try? regressor.fit(x, target)
                measure(regressor.network, epoch: regressor.nIter)
                return measurements
            }
            step = { (try? regressor.partialFit(x, target)) != nil }
            network = { regressor.network }
        }
        for epoch in 1...max(epochs, 1) {
            guard step() else { break }
            if (epoch - 1) % stride == 0 || epoch == epochs { measure(network(), epoch: epoch) }
        }
        return measurements
    }
}
