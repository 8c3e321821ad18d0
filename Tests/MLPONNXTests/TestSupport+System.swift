#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's erf, the reference of the float64 GELU.
func erfForTest(_ x: Double) -> Double { erf(x) }
