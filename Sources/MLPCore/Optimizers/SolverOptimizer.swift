/// The stochastic optimizer that `solver` selects (sgd or adam), configured from the estimator's parameters.
struct SolverOptimizer<T: KernelFloat>: StochasticOptimizer {
    // Two stored optionals rather than an enum with payloads: mutating a payload copies it out, and the copied
    // moment/velocity arrays would then be duplicated (allocated) on every batch. `x!.update` mutates in place.
    private var sgd: MomentumSGD<T>?
    private var adam: Adam<T>?

    init(_ p: MLPParameters, parameterCount: Int) {
        switch p.solver {
        case .adam:
            adam = Adam(parameterCount: parameterCount, learningRate: p.learningRateInit,
                        beta1: p.beta1, beta2: p.beta2, epsilon: p.epsilon)
        default:
            sgd = MomentumSGD(parameterCount: parameterCount, learningRate: p.learningRateInit,
                              momentum: p.momentum, nesterov: p.nesterovsMomentum, schedule: p.learningRate,
                              powerT: p.powerT)
        }
    }

    var learningRate: Double {
        get { sgd?.learningRate ?? adam!.learningRate }
        set { if sgd != nil { sgd!.learningRate = newValue } else { adam!.learningRate = newValue } }
    }

    mutating func withUpdateStep<R>(_ body: (ParameterUpdate<T>) throws -> R) rethrows -> R {
        try sgd != nil ? sgd!.withUpdateStep(body) : adam!.withUpdateStep(body)
    }

    mutating func iterationEnds(samplesSeen: Int) {
        if sgd != nil { sgd!.iterationEnds(samplesSeen: samplesSeen) } else { adam!.iterationEnds(samplesSeen: samplesSeen) }
    }

    mutating func triggerStopping(_ message: String, verbose: Bool) -> Bool {
        sgd != nil ? sgd!.triggerStopping(message, verbose: verbose) : adam!.triggerStopping(message, verbose: verbose)
    }
}
