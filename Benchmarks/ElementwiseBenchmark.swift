import MLPCore
import MLPKernels

/// Times the vectorized elementwise functions against a libm loop on a 200 x 256 batch.
func runElementwiseBenchmark(_ arguments: [String]) throws {
    print("elementwise on 200x256, kernels: \(KernelConfiguration.instructionSet), median of 7")
    print("function   dtype     ours        libm     speed-up")
    func run<T: KernelFloat>(_ type: T.Type, _ name: String, ours: (UnsafePointer<T>, UnsafeMutablePointer<T>, Int) -> Void,
                             libm: @escaping (T) -> T) {
        let count = 200 * 256
        let x = (0..<count).map { _ in T.random(in: -5..<5) }
        var y = [T](repeating: 0, count: count)
        let (tOurs, tLibm) = x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { y in
            (measure { ours(x.baseAddress!, y.baseAddress!, count) },
             measure { for i in 0..<count { y[i] = libm(x[i]) } })
        } }
        print(name.padded(to: 9) + "  " + (T.self == Float.self ? "float32" : "float64")
              + String(printf: "  %7.1f us  %7.1f us  %6.1fx", tOurs * 1e6, tLibm * 1e6, tLibm / tOurs))
    }
    run(Float.self, "exp", ours: { Float.vectorExp($0, $1, count: $2) }, libm: { Float.exp($0) })
    run(Float.self, "logistic", ours: { Float.vectorLogistic($0, $1, count: $2) }, libm: { 1 / (1 + Float.exp(-$0)) })
    run(Float.self, "tanh", ours: { Float.vectorTanh($0, $1, count: $2) }, libm: { Float.tanh($0) })
    run(Double.self, "exp", ours: { Double.vectorExp($0, $1, count: $2) }, libm: { Double.exp($0) })
    run(Double.self, "logistic", ours: { Double.vectorLogistic($0, $1, count: $2) }, libm: { 1 / (1 + Double.exp(-$0)) })
    run(Double.self, "tanh", ours: { Double.vectorTanh($0, $1, count: $2) }, libm: { Double.tanh($0) })
}
