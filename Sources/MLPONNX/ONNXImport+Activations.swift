// Activations after a dense layer: one ONNX operator, or a composite (the forms ONNXExport writes, SiLU as x·σ(x))
// recognized by its operator sequence, its wiring and its scalar constants.

import MLPCore

extension GraphReader {
    /// An activation after the last layer read; false when `node` starts none.
    mutating func readActivation(_ node: ONNXNode) throws -> Bool {
        let single: [String: Activation] = ["Relu": .relu, "Tanh": .tanh, "Softmax": .softmax, "Exp": .exp]
        if let a = single[node.opType] {
            if a == .softmax, let axis = node.attribute("axis")?.i, axis != -1, axis != 1 {
                throw unsupported(node, ": softmax over axis \(axis)")
            }
            return finish(node, a)
        }
        switch node.opType {
        case "Identity": return finish(node, .identity)
        case "Sigmoid":
            // x · σ(x) is SiLU.
            if index + 1 < nodes.count, nodes[index + 1].opType == "Mul",
               Set(nodes[index + 1].inputs) == [current, node.outputs.first ?? ""] {
                index += 1
                return finish(nodes[index], .silu)
            }
            return finish(node, .logistic)
        case "LeakyRelu":
            guard abs(Double(node.attribute("alpha")?.f ?? 0.01) - Activation.leakySlope) < 1e-7 else {
                throw unsupported(node, ": LeakyRelu with alpha \(node.attribute("alpha")!.f); the library's slope is 0.01")
            }
            return finish(node, .leakyRelu)
        case "Elu":
            guard node.attribute("alpha")?.f ?? 1 == 1 else { throw unsupported(node, ": Elu with alpha ≠ 1") }
            return finish(node, .elu)
        case "Softplus": return finish(node, .softplus)
        default: break
        }
        // The composites written by ONNXExport, matched by operator sequence and wiring.
        let composites: [(ops: [String], constants: [Double], activation: Activation)] = [
            (["Less", "Mul", "Where"], [0, Activation.leakySlope], .leakyRelu),
            (["Less", "Exp", "Sub", "Where"], [0, 1], .elu),
            (["Div", "Erf", "Mul", "Add", "Mul"], [Double(2).squareRoot(), 0.5, 1], .gelu),
            (["Div", "Clip", "Unsqueeze", "Mul", "Mul", "Neg", "Exp", "MatMul", "Mul", "Mul", "Add", "Mul"],
             [Double(2).squareRoot(), -GaussLegendre.erfSaturation, GaussLegendre.erfSaturation, -1, 0.5, 1], .gelu),
            (["Cast", "Div", "Clip", "Unsqueeze", "Mul", "Mul", "Neg", "Exp", "MatMul", "Mul", "Mul", "Add", "Mul", "Cast"],
             [Double(2).squareRoot(), -GaussLegendre.erfSaturation, GaussLegendre.erfSaturation, -1, 0.5, 1], .gelu),
            (["Neg", "Exp", "Add", "Div"], [1], .silu),
            (["Abs", "Neg", "Exp", "Add", "Log", "Relu", "Add"], [1], .softplus),
        ]
        for composite in composites where try matches(composite.ops, composite.constants) {
            index += composite.ops.count - 1
            return finish(nodes[index], composite.activation)
        }
        return false
    }

    /// Whether nodes[index...] are `ops`, each fed only by the chain's value, earlier nodes of the run, or
    /// constants: one-element ones equal to `constantValues` in order of appearance, longer ones (the quadrature
    /// rule of a float64 GELU) taken as they are.
    func matches(_ ops: [String], _ constantValues: [Double]) throws -> Bool {
        guard index + ops.count <= nodes.count else { return false }
        var known: Set<String> = [current]
        var seen: [Double] = []
        for (k, op) in ops.enumerated() {
            let node = nodes[index + k]
            guard node.opType == op, node.domain.isEmpty || node.domain == "ai.onnx" else { return false }
            for input in node.inputs where !known.contains(input) {
                guard let c = constants[input], let values = try? c.doubles(limits: limits), !values.isEmpty else { return false }
                if values.count == 1 { seen.append(values[0]) }
            }
            known.formUnion(node.outputs)
        }
        guard seen.count == constantValues.count else { return false }
        return zip(seen, constantValues).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
    }

    mutating func finish(_ node: ONNXNode, _ activation: Activation) -> Bool {
        layers[layers.count - 1].activation = activation
        advance(node)
        return true
    }

}
