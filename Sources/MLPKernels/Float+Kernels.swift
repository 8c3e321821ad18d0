import CMLPKernels
import Foundation

// Concrete conformances: each requirement forwards to the C kernels for its element type.

extension Double: KernelFloat {
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        mlp_dgemm(transA.flag, transB.flag, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
    }
    public static func vectorExp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        mlp_vmath_f64(Int32(MLP_FN_EXP), x, y, count, -1)
    }
    public static func vectorLogistic(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        mlp_vmath_f64(Int32(MLP_FN_LOGISTIC), x, y, count, -1)
    }
    public static func vectorTanh(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        mlp_vmath_f64(Int32(MLP_FN_TANH), x, y, count, -1)
    }
    public static func addBiasAndActivate(_ activation: KernelActivation, _ c: UnsafeMutablePointer<Double>, rows: Int,
                                          columns: Int, ldc: Int, bias: UnsafePointer<Double>?) {
        mlp_bias_activation_f64(activation.rawValue, c, rows, columns, ldc, bias, -1)
    }
    public static func softmaxRows(_ x: UnsafeMutablePointer<Double>, rows: Int, columns: Int, ld: Int) {
        mlp_softmax_rows_f64(x, rows, columns, ld, -1)
    }
    public static func adamUpdate(_ parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>,
                                  firstMoments: UnsafeMutablePointer<Double>, secondMoments: UnsafeMutablePointer<Double>,
                                  count: Int, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) {
        mlp_adam_f64(parameters, gradients, firstMoments, secondMoments, count, learningRate, beta1, beta2, epsilon, -1)
    }
    public static func sgdUpdate(_ parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>,
                                 velocities: UnsafeMutablePointer<Double>, count: Int, learningRate: Double, momentum: Double,
                                 nesterov: Bool) {
        mlp_sgd_f64(parameters, gradients, velocities, count, learningRate, momentum, nesterov ? 1 : 0, -1)
    }
    public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    public static func log(_ x: Double) -> Double { Foundation.log(x) }
    public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
}

extension Float: KernelFloat {
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        mlp_sgemm(transA.flag, transB.flag, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
    }
    public static func vectorExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        mlp_vmath_f32(Int32(MLP_FN_EXP), x, y, count, -1)
    }
    public static func vectorLogistic(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        mlp_vmath_f32(Int32(MLP_FN_LOGISTIC), x, y, count, -1)
    }
    public static func vectorTanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        mlp_vmath_f32(Int32(MLP_FN_TANH), x, y, count, -1)
    }
    public static func addBiasAndActivate(_ activation: KernelActivation, _ c: UnsafeMutablePointer<Float>, rows: Int,
                                          columns: Int, ldc: Int, bias: UnsafePointer<Float>?) {
        mlp_bias_activation_f32(activation.rawValue, c, rows, columns, ldc, bias, -1)
    }
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ld: Int) {
        mlp_softmax_rows_f32(x, rows, columns, ld, -1)
    }
    public static func adamUpdate(_ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
                                  firstMoments: UnsafeMutablePointer<Float>, secondMoments: UnsafeMutablePointer<Float>,
                                  count: Int, learningRate: Float, beta1: Float, beta2: Float, epsilon: Float) {
        mlp_adam_f32(parameters, gradients, firstMoments, secondMoments, count, learningRate, beta1, beta2, epsilon, -1)
    }
    public static func sgdUpdate(_ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
                                 velocities: UnsafeMutablePointer<Float>, count: Int, learningRate: Float, momentum: Float,
                                 nesterov: Bool) {
        mlp_sgd_f32(parameters, gradients, velocities, count, learningRate, momentum, nesterov ? 1 : 0, -1)
    }
    public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    public static func log(_ x: Float) -> Float { Foundation.log(x) }
    public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Transpose {
    var flag: Int32 { self == .transpose ? 1 : 0 }
}
