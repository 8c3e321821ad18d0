// The library's doors to ONNX and NPZ: export from any fitted estimator, pipeline or model; load from ONNX.

import MLPCore
import MLPModelFile

extension MLPModel {
    /// The model as ONNX bytes (see `ONNXExport`).
    /// - Returns: a serialized ModelProto.
    public func onnxSerialized() throws -> [UInt8] { try ONNXExport.serialized(self) }

    /// Writes the model as an ONNX file, atomically.
    /// - Parameter path: the .onnx file to write.
    public func writeONNX(to path: String) throws { try BinaryFile.write(try onnxSerialized(), to: path) }

    /// Writes the model's arrays as an NPZ archive (see `NPZExport`), atomically.
    /// - Parameter path: the .npz file to write.
    public func writeNPZ(to path: String) throws { try BinaryFile.write(try NPZExport.archive(self), to: path) }

    /// Reads an ONNX file written by skl2onnx (MLPClassifier, MLPRegressor, after a StandardScaler) or by
    /// `writeONNX(to:)`.
    /// - Parameter path: the .onnx file.
    public init(onnx path: String) throws { self = try ONNXImport.read(from: path) }

    /// Refuses a bare estimator when the graph scales or imputes first, or maps a standardized target back
    /// (the pipeline holds those steps).
    fileprivate func bareEstimator(_ path: String) throws -> MLPModel {
        guard scaler.kind == .none, metadata.encoding.impute == nil, metadata.encoding.oneHot.isEmpty else {
            throw ONNXError(.unsupported, "\(path) holds a pipeline (scaler, imputer or one-hot before the network); "
                            + "load it with MLPPipeline.load(onnx:)")
        }
        guard targetScaler == nil else {
            throw ONNXError(.unsupported, "\(path) holds a pipeline that scales the target (Mul, Add after the network); "
                            + "load it with MLPPipeline.load(onnx:)")
        }
        return self
    }
}

extension MLPClassifier {
    /// Writes the fitted classifier as ONNX: outputs `label` and `probabilities`, as skl2onnx names them.
    /// - Parameter path: the .onnx file to write.
    public func exportONNX(to path: String) throws { try MLPModel(classifier: self).writeONNX(to: path) }

    /// Loads a classifier from ONNX (weights converted to T if the graph holds the other precision).
    /// - Parameter path: the .onnx file; a graph that scales its input first is refused (use MLPPipeline).
    public static func load(onnx path: String) throws -> MLPClassifier<T> {
        try MLPModel(onnx: path).bareEstimator(path).classifier(T.self)
    }
}

extension MLPRegressor {
    /// Writes the fitted regressor as ONNX: output `variable`, as skl2onnx names it.
    /// - Parameter path: the .onnx file to write.
    public func exportONNX(to path: String) throws { try MLPModel(regressor: self).writeONNX(to: path) }

    /// Loads a regressor from ONNX (weights converted to T if the graph holds the other precision).
    /// - Parameter path: the .onnx file; a graph that scales its input first is refused (use MLPPipeline).
    public static func load(onnx path: String) throws -> MLPRegressor<T> {
        try MLPModel(onnx: path).bareEstimator(path).regressor(T.self)
    }
}

extension MLPPipeline {
    /// Writes the fitted pipeline (imputation, one-hot, scaler, network, labels) as one ONNX graph.
    /// - Parameter path: the .onnx file to write.
    public func exportONNX(to path: String) throws { try MLPModel(pipeline: self).writeONNX(to: path) }

    /// Loads a pipeline from ONNX, in the precision of the graph's weights.
    /// - Parameter path: the .onnx file.
    public static func load(onnx path: String) throws -> MLPPipeline { try MLPModel(onnx: path).pipeline() }
}
