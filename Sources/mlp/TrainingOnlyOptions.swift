import ArgumentParser

/// Options of train that mean nothing to a command using a fitted model: hidden from its help, and refused with
/// the reason when given.
struct TrainingOnlyOptions: ParsableArguments {
    @Option(name: .customLong("one-hot"), parsing: .singleValue, help: .hidden)
    var oneHot: [String] = []
    @Option(help: .hidden)
    var impute: String?
    @Flag(name: [.short, .long], help: .hidden)
    var verbose = false

    func validate() throws {
        if !oneHot.isEmpty || impute != nil {
            throw ValidationError("--\(oneHot.isEmpty ? "impute" : "one-hot") is set at training time; "
                                  + "the model file holds the encoding")
        }
        if verbose { throw ValidationError("--verbose applies to training (train, cv); this command does not train") }
    }
}
