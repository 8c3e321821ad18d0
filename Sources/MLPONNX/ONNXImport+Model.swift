// After the last layer: the label steps (which say classifier or regressor, and the classes), then the MLPModel
// with names, encoding and hyper-parameters from our own metadata when it describes this network.

import MLPCore
import MLPModelFile

extension GraphReader {
    // MARK: Target scaler

    /// `[Cast to double] Mul(scale) [Add(mean)] [Cast to float]` right after the last layer: a standardized
    /// regression target mapped back, y · scale + mean (ONNXExport's form). Nothing is consumed when the nodes
    /// there are not this pattern.
    mutating func readTargetScaler() throws {
        guard let outputs = layers.last?.outputs else { return }
        func isCast(_ node: ONNXNode, to type: ONNXDataType) -> Bool {
            node.opType == "Cast" && node.inputs.first == current && node.attribute("to")?.i == Int64(type.rawValue)
        }
        let widened = elementType == .float && index < nodes.count && isCast(nodes[index], to: .double)
        let multiply = widened ? index + 1 : index
        guard multiply < nodes.count, nodes[multiply].opType == "Mul",
              let input = widened ? nodes[index].outputs.first : current, nodes[multiply].inputs.contains(input) else { return }
        if widened { advance(nodes[index]) }
        let mul = nodes[index]
        let scale = try operand(mul)
        advance(mul)
        var mean = [0.0]
        if index < nodes.count, nodes[index].opType == "Add", nodes[index].inputs.contains(current) {
            mean = try operand(nodes[index])
            advance(nodes[index])
        }
        if widened, index < nodes.count, isCast(nodes[index], to: .float) { advance(nodes[index]) }
        func perOutput(_ v: [Double]) -> [Double] { v.count == 1 ? Array(repeating: v[0], count: outputs) : v }
        let (means, scales) = (perOutput(mean), perOutput(scale))
        guard means.count == outputs, scales.count == outputs else {
            throw unsupported(mul, ": a target scaler of \(scale.count) scales and \(mean.count) means for \(outputs) outputs")
        }
        guard means.allSatisfy(\.isFinite), scales.allSatisfy({ $0.isFinite && $0 != 0 }) else {
            throw unsupported(mul, ": a target scaler with a non-finite or zero statistic")
        }
        targetScaler = StandardScaler(mean: means, scale: scales)
    }

    // MARK: Post-processing

    /// What the label steps say: the classes (nil for a regressor) and whether the labels are a multilabel matrix.
    struct PostProcessing {
        var classes: [ClassLabel]?
        var multilabel = false
    }

    mutating func readPostProcessing() throws -> PostProcessing {
        let allowed: Set<String> = ["Sub", "Concat", "ArgMax", "ArrayFeatureExtractor", "Reshape", "Cast", "Identity",
                                    "Binarizer", "Greater", "ZipMap", "LabelEncoder", "Gather", "Flatten", "Squeeze", "Constant"]
        var post = PostProcessing()
        for node in nodes[index...] {
            guard allowed.contains(node.opType) else { throw unsupported(node, " after the last layer") }
            switch node.opType {
            case "ArrayFeatureExtractor", "Gather":
                if let table = constants[node.inputs.first ?? ""] { post.classes = try classes(table) }
            case "LabelEncoder":
                if let values = node.attribute("values_strings")?.strings, !values.isEmpty {
                    post.classes = values.map { .string(String(decoding: $0, as: UTF8.self)) }
                } else if let values = node.attribute("values_int64s")?.ints, !values.isEmpty {
                    post.classes = values.map { .number(Double($0)) }
                }
            case "Binarizer", "Greater":
                if node.inputs.first == current, let outputs = layers.last?.outputs, outputs > 1 { post.multilabel = true }
            default: break
            }
        }
        if post.multilabel && post.classes == nil, let outputs = layers.last?.outputs {
            post.classes = (0..<outputs).map { ClassLabel($0) }
        }
        return post
    }

    func classes(_ table: ONNXTensor) throws -> [ClassLabel] {
        if table.dataType == ONNXDataType.string.rawValue { return try table.strings(limits: limits).map { .string($0) } }
        return try table.doubles(limits: limits).map { .number($0) }
    }

    // MARK: The model

    func makeModel(post: PostProcessing, encoding storedEncoding: FeatureEncoding?) throws -> MLPModel {
        let hidden = layers.dropLast().map { $0.activation ?? .identity }
        guard Set(hidden).count <= 1 else {
            throw ONNXError(.unsupported, "the hidden layers use different activations (\(hidden.map(\.rawValue).joined(separator: ", "))); "
                            + "the library has one hidden activation")
        }
        let hiddenActivation = hidden.first ?? stored.flatMap { Activation(rawValue: $0.activation) } ?? .relu
        let output = layers.last!.activation ?? .identity
        let sizes = [layers[0].inputs] + layers.map(\.outputs)
        let dtype = elementType == .float ? "float32" : "float64"
        let isClassifier = post.classes != nil
        let targetType: TargetType? = isClassifier
            ? (post.multilabel ? .multilabelIndicator : output == .softmax ? .multiclass : .binary) : nil
        let loss = isClassifier ? "log_loss" : output == .exp ? "poisson" : "squared_error"

        // Names, encoding and parameters from our own metadata when it describes this network; else scikit-learn's.
        let matching = stored.flatMap { $0.layerSizes == sizes ? $0 : nil }
        var encoding = storedEncoding ?? matching?.encoding
            ?? FeatureEncoding(inputColumns: (0..<sizes[0]).map { "x\($0)" })
        if let imputeValues, storedEncoding == nil, !Self.sameImputation(matching?.encoding, imputeValues) {
            guard imputeValues.count == sizes[0] || imputeValues.count == 1 else {
                throw ONNXError(.unsupported, "\(imputeValues.count) imputation values for \(sizes[0]) features")
            }
            encoding.impute = encoding.impute ?? .mean
            encoding.imputeValues = imputeValues.count == 1 ? Array(repeating: imputeValues[0], count: sizes[0]) : imputeValues
        }
        var parameters = matching?.parameters ?? MLPParameters()
        if matching == nil {
            parameters.hiddenLayerSizes = Array(sizes.dropFirst().dropLast())
            parameters.activation = hiddenActivation
            if let regressionLoss = RegressionLoss(rawValue: loss) { parameters.loss = regressionLoss }
        }
        if targetScaler != nil && isClassifier {
            throw ONNXError(.unsupported, "the graph scales a classifier's outputs (Mul/Add after the last layer); "
                            + "only a regressor's target is scaled")
        }
        var metadata = ModelMetadata(
            estimator: isClassifier ? .classifier : .regressor, dtype: dtype, layerSizes: sizes,
            activation: hiddenActivation.rawValue, outActivation: output.rawValue, loss: loss,
            featureNames: encoding.featureNames, classes: post.classes, targetType: targetType,
            targetName: matching?.targetName, encoding: encoding, scaler: scaler.kind, parameters: parameters,
            classWeight: matching?.classWeight)
        metadata.nIter = matching?.nIter ?? 0
        metadata.targetNames = matching?.targetNames
        func values(_ v: [Double]) -> NamedArray.Values { dtype == "float32" ? .float32(v.map { Float($0) }) : .float64(v) }
        do {
            var model = try MLPModel(metadata: metadata, coefs: layers.map { values($0.coefficients) },
                                     intercepts: layers.map { values($0.intercepts) }, scaler: scaler)
            model.targetScaler = targetScaler
            return model
        } catch {
            throw ONNXError(.unsupported, "the graph is not a model this library can run: \(error)")
        }
    }

}
