// libFuzzer target: CSVReader on arbitrary bytes, as training data and as data read with a fitted encoding.
// Any throw is fine; a trap, a leak of memory without bound or a hang is a finding.
import MLPCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var options = CSVReadOptions()
    options.targetIsOptional = true
    guard let table = try? CSVReader.read(bytes: bytes, source: "fuzz", options: options) else {
        // Also the other modes: no header, one-hot of the first column, imputation.
        options.hasHeader = false
        options.impute = .median
        _ = try? CSVReader.read(bytes: bytes, source: "fuzz", options: options)
        return 0
    }
    _ = try? CSVReader.read(bytes: bytes, source: "fuzz", options: options, encoding: table.encoding)
    if let first = table.featureNames.first {
        options.oneHot = [first]
        _ = try? CSVReader.read(bytes: bytes, source: "fuzz", options: options)
    }
    return 0
}
