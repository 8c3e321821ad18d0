#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Decimal text → Double, straight from the bytes of a CSV field.
// Fast path (Clinger 1990): a mantissa of at most 2^53 and a power of ten of at most 10^22 are both exact
// Doubles, so one IEEE multiply or divide gives the correctly rounded result. Everything else goes to strtod,
// which is correctly rounded too; the result never depends on the path taken.

enum ParsedCell {
    case number(Double)
    case missing      // empty, NA, NaN, null ...
    case nonFinite    // inf, -Infinity, or a value that overflows Double
    case invalid
}

private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Words read as a missing value (pandas' default `na_values`, less the rarer spellings).
private let missingWords: Set<String> = [
    "na", "nan", "-nan", "n/a", "#n/a", "null", "none", "<na>",
]

@inline(__always)
func parseCell(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedCell {
    guard let p = bytes.baseAddress, bytes.count > 0 else { return .missing }
    let n = bytes.count
    var i = 0
    var negative = false
    if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
    var mantissa: UInt64 = 0
    var significant = 0        // significant digits accumulated in `mantissa`
    var dropped = 0            // integer digits beyond 19 (each multiplies by 10)
    var exponent = 0
    var digits = 0
    var lostPrecision = false
    // One run of digits: the integer part, or the fraction after the point (whose digits lower the exponent).
    @inline(__always) func scanDigits(fraction: Bool) {
        while i < n {
            let d = p[i] &- 0x30
            if d > 9 { break }
            digits += 1
            if significant < 19 {
                if mantissa != 0 || d != 0 { mantissa = mantissa &* 10 &+ UInt64(d); significant += 1 }
                if fraction { exponent -= 1 }
            } else {
                if !fraction { dropped += 1 }
                if d != 0 { lostPrecision = true }
            }
            i += 1
        }
    }
    scanDigits(fraction: false)
    if i < n && p[i] == 0x2E {
        i += 1
        scanDigits(fraction: true)
    }
    guard digits > 0 else { return parseWord(bytes) }
    exponent += dropped
    if i < n && (p[i] | 0x20) == 0x65 {   // e or E
        i += 1
        var expNegative = false
        if i < n && (p[i] == 0x2D || p[i] == 0x2B) { expNegative = p[i] == 0x2D; i += 1 }
        var e = 0
        var expDigits = 0
        while i < n {
            let d = p[i] &- 0x30
            if d > 9 { break }
            if e < 100_000 { e = e * 10 + Int(d) }
            expDigits += 1
            i += 1
        }
        guard expDigits > 0 else { return .invalid }
        exponent += expNegative ? -e : e
    }
    guard i == n else { return .invalid }
    if mantissa == 0 { return .number(negative ? -0.0 : 0.0) }
    if !lostPrecision && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
        var value = Double(mantissa)
        value = exponent >= 0 ? value * exactPowersOfTen[exponent] : value / exactPowersOfTen[-exponent]
        return .number(negative ? -value : value)
    }
    return strtodCell(bytes)
}

/// The slow, exact path for long mantissas and large exponents. The bytes were already checked to be a
/// plain decimal number, so strtod sees no hex floats or words.
private func strtodCell(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedCell {
    let value: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
        for i in 0..<bytes.count { buffer[i] = CChar(bitPattern: bytes[i]) }
        buffer[bytes.count] = 0
        return strtod(buffer.baseAddress!, nil)
    }
    return value.isFinite ? .number(value) : .nonFinite
}

private func parseWord(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedCell {
    guard bytes.count <= 9 else { return .invalid }
    let word = String(decoding: bytes, as: UTF8.self).lowercased()
    if missingWords.contains(word) { return .missing }
    switch word {
    case "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity": return .nonFinite
    default: return .invalid
    }
}
