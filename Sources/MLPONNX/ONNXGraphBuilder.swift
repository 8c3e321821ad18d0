// Appends nodes and constants to a graph under fresh names, so the exporter reads as a list of operations.

/// Builds an ONNX graph node by node.
struct ONNXGraphBuilder {
    var graph = ONNXGraph(name: "swift_mlp")
    private var counter = 0
    /// Names the builder must not generate: the graph's inputs and outputs.
    private var reserved: Set<String> = []

    mutating func reserve(_ names: [String]) { reserved.formUnion(names) }

    private mutating func fresh(_ stem: String) -> String {
        while true {
            counter += 1
            let name = "\(stem)_\(counter)"
            if !reserved.contains(name) { return name }
        }
    }

    /// Adds an initializer; returns its name.
    mutating func constant(_ stem: String, _ tensor: ONNXTensor) -> String {
        var t = tensor
        t.name = fresh(stem)
        graph.initializers.append(t)
        return t.name
    }

    /// A scalar (shape []) of the given float type.
    mutating func scalar(_ value: Double, _ type: ONNXDataType) -> String {
        constant("scalar", .numbers("", [value], dims: [], type: type))
    }

    /// Adds a node with one output; returns the output's name (`output`, or a fresh one).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], domain: String = "", _ attributes: [ONNXAttribute] = [],
                       output: String? = nil) -> String {
        let out = output ?? fresh(op.lowercased())
        graph.nodes.append(ONNXNode(op, inputs, [out], name: fresh(op), domain: domain, attributes: attributes))
        return out
    }
}
