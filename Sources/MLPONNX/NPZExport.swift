// numpy's NPZ: a zip archive (entries stored, not compressed) of .npy files, one per fitted attribute, named as
// scikit-learn names them, so `numpy.load("weights.npz")["coefs_0"]` is `model.coefs_[0]`.

import MLPCore
import MLPModelFile

/// Writes a model's arrays as an NPZ archive that `numpy.load` reads.
public enum NPZExport {
    /// The archive's entries: `coefs_0…`, `intercepts_0…`; `mean_` and `scale_` (StandardScaler) or `scale_` and
    /// `min_` (MinMaxScaler); `statistics_` (SimpleImputer), `target_mean_` and `target_scale_` (a regressor's
    /// standardized target, TransformedTargetRegressor's `transformer_.mean_` and `.scale_`) and `classes_`
    /// (classifier) when the model has them.
    /// - Parameter model: a validated model.
    /// - Returns: (name without ".npy", .npy bytes) in archive order.
    public static func arrays(_ model: MLPModel) throws -> [(name: String, npy: [UInt8])] {
        var entries: [(String, [UInt8])] = []
        let sizes = model.layerSizes
        for l in 0..<model.coefs.count {
            entries.append(("coefs_\(l)", NPY.array(model.coefs[l], shape: [sizes[l], sizes[l + 1]])))
            entries.append(("intercepts_\(l)", NPY.array(model.intercepts[l], shape: [sizes[l + 1]])))
        }
        switch model.scaler {
        case .none: break
        case .standard(let s):
            entries.append(("mean_", NPY.array(.float64(s.mean), shape: [s.mean.count])))
            entries.append(("scale_", NPY.array(.float64(s.scale), shape: [s.scale.count])))
        case .minmax(let s):
            entries.append(("scale_", NPY.array(.float64(s.scale), shape: [s.scale.count])))
            entries.append(("min_", NPY.array(.float64(s.offset), shape: [s.offset.count])))
        }
        let encoding = model.metadata.encoding
        if encoding.impute != nil, encoding.imputeValues.count == encoding.inputColumns.count {
            let values = encoding.imputeValues.map { $0 ?? .nan }
            entries.append(("statistics_", NPY.array(.float64(values), shape: [values.count])))
        }
        if let target = try ONNXExport.targetScaler(of: model) {
            entries.append(("target_mean_", NPY.array(.float64(target.mean), shape: [target.mean.count])))
            entries.append(("target_scale_", NPY.array(.float64(target.scale), shape: [target.scale.count])))
        }
        if let classes = model.metadata.classes {
            if let integers = ONNXExport.integerClasses(classes) {
                entries.append(("classes_", NPY.int64(integers)))
            } else {
                entries.append(("classes_", NPY.unicode(classes.map(\.description))))
            }
        }
        return entries
    }

    /// The NPZ bytes of a model.
    /// - Parameter model: a validated model.
    /// - Returns: a zip archive of .npy files.
    /// - Throws: `ONNXError.notExportable` when an array exceeds the 4 GiB a zip without ZIP64 holds, or the
    ///   target scaler does not match the outputs.
    public static func archive(_ model: MLPModel) throws -> [UInt8] {
        try StoredZip.archive(try arrays(model).map { ($0.name + ".npy", $0.npy) })
    }
}

/// The .npy format, version 1.0: magic, a Python-literal header padded to 64 bytes, then the raw little-endian data.
enum NPY {
    static func array(_ values: NamedArray.Values, shape: [Int]) -> [UInt8] {
        switch values {
        case .float32(let v): return file(descr: "<f4", shape: shape, data: v.flatMap { littleEndian(UInt64($0.bitPattern), 4) })
        case .float64(let v): return file(descr: "<f8", shape: shape, data: v.flatMap { littleEndian($0.bitPattern, 8) })
        }
    }

    static func int64(_ values: [Int64]) -> [UInt8] {
        file(descr: "<i8", shape: [values.count], data: values.flatMap { littleEndian(UInt64(bitPattern: $0), 8) })
    }

    /// numpy's fixed-width unicode ('<U{n}'): n UTF-32 code units per element, zero-padded.
    static func unicode(_ values: [String]) -> [UInt8] {
        let width = max(1, values.map { $0.unicodeScalars.count }.max() ?? 1)
        var data: [UInt8] = []
        for s in values {
            let scalars = Array(s.unicodeScalars)
            for k in 0..<width { data += littleEndian(UInt64(k < scalars.count ? scalars[k].value : 0), 4) }
        }
        return file(descr: "<U\(width)", shape: [values.count], data: data)
    }

    private static func file(descr: String, shape: [Int], data: [UInt8]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        out += littleEndian(UInt64(header.utf8.count), 2)
        out += Array(header.utf8)
        return out + data
    }

    static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}

/// A zip archive with stored (uncompressed) entries: local headers, data, central directory, end record.
enum StoredZip {
    static func archive(_ entries: [(name: String, data: [UInt8])]) throws -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le(_ v: Int, _ n: Int) -> [UInt8] { NPY.littleEndian(UInt64(v), n) }
        for (name, data) in entries {
            guard data.count < Int(UInt32.max), out.count < Int(UInt32.max) else {
                throw ONNXError(.notExportable, "'\(name)' is over the 4 GiB a zip entry holds without ZIP64")
            }
            let crc = Int(CRC32.checksum(data))
            let nameBytes = Array(name.utf8)
            // version 20, no flags, stored, 1980-01-01 00:00
            let common = le(20, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2) + le(crc, 4)
                + le(data.count, 4) + le(data.count, 4) + le(nameBytes.count, 2) + le(0, 2)
            central += le(0x0201_4b50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4)
                + le(out.count, 4) + nameBytes
            out += le(0x0403_4b50, 4) + common + nameBytes + data
        }
        let directoryOffset = out.count
        out += central
        out += le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(entries.count, 2) + le(entries.count, 2)
            + le(central.count, 4) + le(directoryOffset, 4) + le(0, 2)
        return out
    }
}
