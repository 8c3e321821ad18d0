import ArgumentParser

extension ArgumentHelp {
    /// The help of the model-file argument that evaluate, export, inspect and predict take.
    static var modelFile: ArgumentHelp { ArgumentHelp("A model file written by 'mlp train'.", valueName: "model") }
}
