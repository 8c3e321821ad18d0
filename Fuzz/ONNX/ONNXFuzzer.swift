// libFuzzer target: the ONNX reader (our protobuf codec and the graph matcher) on arbitrary bytes.
// Any throw is fine; a trap, an unbounded allocation or a hang is a finding. A graph that imports is also run.
import MLPCore
import MLPModelFile
import MLPONNX

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let model = try? ONNXImport.model(serialized: bytes), let pipeline = try? model.pipeline() else { return 0 }
    let features = Matrix<Double>(rows: 1, columns: model.featureCount,
                                  storage: [Double](repeating: 0.5, count: model.featureCount))
    if pipeline.isClassifier { _ = try? pipeline.predictProbabilities(features: features) }
    else { _ = try? pipeline.predictValues(features: features) }
    return 0
}
