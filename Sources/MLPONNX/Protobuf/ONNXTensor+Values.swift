// Reading a TensorProto's elements whichever field holds them (typed field or raw_data), checked against its dims.

extension ONNXTensor {
    /// The number of elements its dims declare, checked against the limits.
    func elementCount(limits: ONNXLimits) throws -> Int {
        guard dims.count <= limits.maxRank else {
            throw ONNXError(.tooLarge, "tensor '\(name)' has rank \(dims.count) (limit \(limits.maxRank))")
        }
        var count = 1
        for d in dims {
            guard d >= 0, d <= Int64(limits.maxTensorElements) else {
                throw ONNXError(.malformed, "tensor '\(name)' has dimension \(d)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow, product <= limits.maxTensorElements else {
                throw ONNXError(.tooLarge, "tensor '\(name)' has more than \(limits.maxTensorElements) elements (limit)")
            }
            count = product
        }
        return count
    }

    /// The elements of a float, double, int32 or int64 tensor as Double.
    func doubles(limits: ONNXLimits) throws -> [Double] {
        let count = try elementCount(limits: limits)
        let values: [Double]
        switch ONNXDataType(rawValue: dataType) {
        case .float:
            values = rawData.isEmpty ? floatData.map(Double.init)
                : try Self.littleEndian(rawData, width: 4, name: name).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .double:
            values = rawData.isEmpty ? doubleData
                : try Self.littleEndian(rawData, width: 8, name: name).map { Double(bitPattern: $0) }
        case .int64:
            values = rawData.isEmpty ? int64Data.map(Double.init)
                : try Self.littleEndian(rawData, width: 8, name: name).map { Double(Int64(bitPattern: $0)) }
        case .int32:
            values = rawData.isEmpty ? int32Data.map { Double(Int32(truncatingIfNeeded: $0)) }
                : try Self.littleEndian(rawData, width: 4, name: name).map { Double(Int32(truncatingIfNeeded: $0)) }
        default:
            throw ONNXError(.unsupported, "tensor '\(name)' has data type \(dataType); a number tensor is needed here")
        }
        guard values.count == count else {
            throw ONNXError(.malformed, "tensor '\(name)' holds \(values.count) values for dims \(dims)")
        }
        return values
    }

    /// The elements of a string tensor.
    func strings(limits: ONNXLimits) throws -> [String] {
        let count = try elementCount(limits: limits)
        guard dataType == ONNXDataType.string.rawValue else {
            throw ONNXError(.unsupported, "tensor '\(name)' has data type \(dataType); a string tensor is needed here")
        }
        guard stringData.count == count else {
            throw ONNXError(.malformed, "tensor '\(name)' holds \(stringData.count) strings for dims \(dims)")
        }
        return stringData.map { String(decoding: $0, as: UTF8.self) }
    }

    private static func littleEndian(_ raw: [UInt8], width: Int, name: String) throws -> [UInt64] {
        guard raw.count % width == 0 else {
            throw ONNXError(.malformed, "tensor '\(name)' has \(raw.count) raw bytes, not a multiple of \(width)")
        }
        return stride(from: 0, to: raw.count, by: width).map { start in
            var v: UInt64 = 0
            for i in 0..<width { v |= UInt64(raw[start + i]) << (8 * UInt64(i)) }
            return v
        }
    }

    /// A float or double tensor holding `values`.
    static func numbers(_ name: String, _ values: [Double], dims: [Int], type: ONNXDataType) -> ONNXTensor {
        var t = header(name, dims: dims, type: type)
        if type == .float { t.floatData = values.map { Float($0) } } else { t.doubleData = values }
        return t
    }

    /// A tensor's name, shape and element type, with no values yet.
    private static func header(_ name: String, dims: [Int], type: ONNXDataType) -> ONNXTensor {
        var t = ONNXTensor()
        t.name = name
        t.dims = dims.map(Int64.init)
        t.dataType = type.rawValue
        return t
    }

    /// A float32 tensor holding `values` exactly.
    static func floats(_ name: String, _ values: [Float], dims: [Int]) -> ONNXTensor {
        var t = header(name, dims: dims, type: .float)
        t.floatData = values
        return t
    }

    /// An int64 tensor.
    static func ints(_ name: String, _ values: [Int64], dims: [Int]) -> ONNXTensor {
        var t = header(name, dims: dims, type: .int64)
        t.int64Data = values
        return t
    }

    /// A string tensor.
    static func strings(_ name: String, _ values: [String], dims: [Int]) -> ONNXTensor {
        var t = header(name, dims: dims, type: .string)
        t.stringData = values.map { Array($0.utf8) }
        return t
    }
}
