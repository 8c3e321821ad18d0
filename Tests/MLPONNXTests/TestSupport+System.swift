#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates a directory for a test's files.
func mkdirForTest(_ path: String) -> Bool { mkdir(path, 0o755) == 0 }

/// The C library's erf, the reference of the float64 GELU.
func erfForTest(_ x: Double) -> Double { erf(x) }
