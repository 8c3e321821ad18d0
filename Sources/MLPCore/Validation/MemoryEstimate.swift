#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What a fit or a table will take in memory, computed before allocating, and what the machine can give
// (MemAvailable, and the cgroup's limit when the process runs in a container). Sizes are counted in Double so
// that absurd requests (a 10⁸-unit layer) give a figure instead of an overflow.

/// An estimate of the memory a request needs, part by part, in bytes.
public struct MemoryEstimate: Sendable, Equatable {
    /// One named part of the estimate.
    public struct Part: Sendable, Equatable {
        /// What the bytes hold, for messages ("weights, gradients and Adam's moments").
        public var name: String
        /// The bytes.
        public var bytes: Double

        /// Creates a part.
        /// - Parameters:
        ///   - name: What the bytes hold.
        ///   - bytes: The bytes.
        public init(name: String, bytes: Double) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// The parts, in the order they were listed.
    public var parts: [Part]

    /// Creates an estimate from its parts.
    /// - Parameter parts: The named parts.
    public init(parts: [Part]) { self.parts = parts }

    /// The sum of the parts, in bytes.
    public var totalBytes: Double { parts.reduce(0) { $0 + $1.bytes } }

    /// The largest part: the cause to name when the total is too much.
    public var largestPart: Part? { parts.max { $0.bytes < $1.bytes } }

    /// What fitting a network needs: its parameters, their gradients, the optimizer's state, a best-so-far
    /// copy, the forward and backward workspaces of one batch, and the prediction workspace over all rows.
    /// - Parameters:
    ///   - layerSizes: Units per layer, inputs first, outputs last.
    ///   - samples: Training rows.
    ///   - parameters: The hyper-parameters (solver, batch size).
    ///   - elementBytes: 8 for Float64, 4 for Float32.
    /// - Returns: The estimate.
    public static func training(layerSizes: [Int], samples: Int, parameters: MLPParameters,
                                elementBytes: Int) -> MemoryEstimate {
        let sizes = layerSizes.map { Double(max(0, $0)) }
        var weights = 0.0
        for i in 0..<max(0, sizes.count - 1) { weights += sizes[i] * sizes[i + 1] + sizes[i + 1] }
        let element = Double(elementBytes)
        let rows = Double(max(1, samples))
        let stateCopies: Double
        let optimizer: String
        switch parameters.solver {
        case .adam: stateCopies = 2; optimizer = "Adam's two moments"
        case .sgd: stateCopies = 1; optimizer = "SGD's velocities"
        case .lbfgs: stateCopies = 24; optimizer = "L-BFGS's 10 correction pairs"
        }
        let batch = parameters.solver == .lbfgs ? rows : Double(parameters.effectiveBatchSize(samples: max(1, samples)))
        let units = sizes.reduce(0, +)
        let widest = layerSizes.max() ?? 0
        let network = layerSizes.map(String.init).joined(separator: " → ")
        return MemoryEstimate(parts: [
            Part(name: "the weights, gradients and best-so-far copy of the \(network) network", bytes: 3 * weights * element),
            Part(name: "\(optimizer) for the \(network) network", bytes: stateCopies * weights * element),
            Part(name: "the activations and deltas of a batch of \(Int(batch)) rows", bytes: 2 * batch * units * element),
            Part(name: "the predictions over \(max(1, samples)) rows (two layers of \(widest) units)",
                 bytes: 2 * rows * Double(max(0, widest)) * element),
        ])
    }

    /// What a dense table of Doubles needs, plus its copy in the network's element type.
    /// - Parameters:
    ///   - rows: Rows.
    ///   - columns: Feature columns after one-hot encoding.
    ///   - elementBytes: The network's element size (8 or 4); 0 for the table alone.
    ///   - what: What the columns are, for messages.
    /// - Returns: The estimate.
    public static func table(rows: Int, columns: Int, elementBytes: Int = 0, what: String) -> MemoryEstimate {
        let cells = Double(max(0, rows)) * Double(max(0, columns))
        return MemoryEstimate(parts: [
            Part(name: "\(what) (\(rows) rows × \(columns) columns)", bytes: cells * Double(8 + 2 * elementBytes)),
        ])
    }

    /// Refuses the request when it needs more than `limit` bytes, or than the memory available when `limit`
    /// is nil, or more than a 64-bit address space holds (sizes whose element counts overflow `Int`) when neither
    /// is known.
    /// - Parameters:
    ///   - limit: An explicit limit (`--max-memory`), or nil for ``MemoryEstimate/availableBytes()``.
    ///   - request: What is being done, for the message ("training").
    /// - Throws: ``MemoryLimitError`` naming the largest part and the sizes.
    public func check(limit: Double? = nil, request: String) throws {
        let known = limit ?? Self.availableBytes() ?? .infinity
        let available = min(known, Self.addressableBytes)
        guard totalBytes > available else { return }
        throw MemoryLimitError(request: request, needed: totalBytes, available: available,
                               explicitLimit: limit != nil && known == available,
                               cause: largestPart ?? Part(name: request, bytes: totalBytes))
    }

    /// 2⁶²: more than any machine has, and below the point where an element count overflows `Int`.
    static let addressableBytes = 0x1p62

    /// The memory this process may still use: /proc/meminfo's MemAvailable, lowered to the cgroup's limit
    /// minus its usage when there is one, and to what a `ulimit -v` leaves; on macOS the physical memory
    /// (`hw.memsize`); nil when none can be read
    /// (then only requests beyond a 64-bit address space are refused).
    public static func availableBytes() -> Double? {
        var best: Double?
        #if canImport(Darwin)
        var physical: UInt64 = 0
        var length = MemoryLayout<UInt64>.size
        if sysctlbyname("hw.memsize", &physical, &length, nil, 0) == 0 { best = Double(physical) }
        #endif
        if let text = readSmallFile("/proc/meminfo"), let kib = meminfoValue(text, key: "MemAvailable:") {
            best = kib * 1024
        }
        let cgroup: [(limit: String, usage: String)] = [
            ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
            ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
        ]
        for files in cgroup {
            guard let limitText = readSmallFile(files.limit), let limit = Double(trimmed(limitText)) else { continue }
            // cgroup v1 spells "no limit" as a huge number; v2 as "max" (which Double() does not parse).
            guard limit < 1e18 else { continue }
            let usage = readSmallFile(files.usage).flatMap { Double(trimmed($0)) } ?? 0
            let room = max(0, limit - usage)
            best = min(best ?? room, room)
            break
        }
        if let room = addressSpaceLeft() { best = min(best ?? room, room) }
        return best
    }

    /// What a `ulimit -v` (RLIMIT_AS) leaves of the address space beyond what the process maps already; nil
    /// without such a limit.
    private static func addressSpaceLeft() -> Double? {
        var limit = rlimit()
        #if canImport(Glibc)
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 else { return nil }
        #else
        guard getrlimit(RLIMIT_AS, &limit) == 0 else { return nil }
        #endif
        guard limit.rlim_cur < rlim_t(1) << 62 else { return nil }  // RLIM_INFINITY is ~0 on Linux, 2⁶³ − 1 on macOS
        let pages = readSmallFile("/proc/self/statm").flatMap { $0.split(separator: " ").first.flatMap { Double(String($0)) } }
        let mapped = (pages ?? 0) * Double(sysconf(Int32(_SC_PAGESIZE)))
        return max(0, Double(limit.rlim_cur) - mapped)
    }

    /// "1.5 GiB": bytes in binary units, three significant digits; beyond a million EiB in powers of ten
    /// ("4.00e+20 EiB", the estimate of two hidden layers of Int.max units).
    /// - Parameter bytes: A size; a negative, infinite or NaN one is written as such ("nan bytes").
    public static func describe(bytes: Double) -> String {
        guard bytes.isFinite else { return "\(bytes) bytes" }
        if bytes < 0 { return "-" + describe(bytes: -bytes) }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if value >= 1e6 {
            // Too many digits for formatFixed's Int: a mantissa and a power of ten.
            var exponent = 0
            while value >= 10 { value /= 10; exponent += 1 }
            if formatFixed(value, digits: 2) == "10.00" { value /= 10; exponent += 1 }
            return formatFixed(value, digits: 2) + "e+\(exponent) " + units[unit]
        }
        if unit == 0 { return "\(Int(value)) bytes" }
        let digits = value < 10 ? 2 : value < 100 ? 1 : 0
        return formatFixed(value, digits: digits) + " " + units[unit]
    }

    /// Parses "512M", "2G", "1.5GiB", "800000" (bytes) into bytes; nil when malformed or not positive.
    /// - Parameter text: A size with an optional K, M, G or T suffix (powers of 1024).
    public static func parseBytes(_ text: String) -> Double? {
        var digits = text.trimmingSpaces.uppercased()
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits.removeLast(suffix.count)
            break
        }
        var factor = 1.0
        if let last = digits.last, let power = ["K": 1.0, "M": 2.0, "G": 3.0, "T": 4.0][String(last)] {
            factor = pow(1024, power)
            digits.removeLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0 else { return nil }
        return value * factor
    }

    private static func meminfoValue(_ text: String, key: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let fields = line.dropFirst(key.count).split(separator: " ")
            return fields.first.flatMap { Double(String($0)) }
        }
        return nil
    }

    private static func trimmed(_ text: String) -> String { text.trimmingSpaces }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16384)
        var count = 0
        while count < buffer.count {
            let r = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            count += r
        }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    private static func formatFixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = scaled % Int(scale)
        guard digits > 0 else { return String(whole) }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}

/// A request refused because it needs more memory than is available or allowed.
public struct MemoryLimitError: Error, Sendable, CustomStringConvertible {
    /// What was being done ("training").
    public var request: String
    /// The estimated bytes.
    public var needed: Double
    /// The bytes available or allowed.
    public var available: Double
    /// True when `available` is the caller's limit (`--max-memory`), false when it is the machine's.
    public var explicitLimit: Bool
    /// The largest part of the estimate.
    public var cause: MemoryEstimate.Part

    /// One line naming the cause and the sizes.
    public var description: String { description(naming: .code) }

    /// ``description`` naming the limit's setting as code or as the `mlp` flag.
    public func description(naming: AdvisedSetting.Naming) -> String { AdvisedSetting.render(template, naming) }

    /// The message with the limit's setting as a marker, for an error that wraps this one and is rendered later.
    var template: String {
        let limit = explicitLimit ? "the limit of \(MemoryEstimate.describe(bytes: available)) (\(advising: .maxMemory))"
            : "the \(MemoryEstimate.describe(bytes: available)) of memory available"
        return "\(request) needs about \(MemoryEstimate.describe(bytes: needed)), more than \(limit); "
            + "the largest part is \(cause.name): \(MemoryEstimate.describe(bytes: cause.bytes))"
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\n" || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\n" || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
