#ifndef MLP_SEED_NETWORK_H
#define MLP_SEED_NETWORK_H
#include <stdint.h>

/// The question's network (10 rows, 2 inputs, `hidden` sigmoid units, 1 sigmoid output), trained full-batch with
/// numpy's exact roundings: glibc exp and OpenBLAS's (Haswell) summation order for the products.
/// Parameters are laid out [w1 (2 x hidden, row-major) | w2 (hidden) | b1 (hidden) | b2].
typedef struct {
    int hidden;
    int loss;            ///< 0: squared error, delta (y2 - y) * y2 (1 - y2); 1: log-loss, delta y2 - y
    int optimizer;       ///< 0: gradient descent; 1: momentum; 2: Adam (scikit-learn's form)
    double learning_rate;
    double momentum;
    double beta1, beta2, epsilon;
    double goal;
    int64_t max_iterations;
    double normalizer;   ///< 1 for the question's summed gradient; the row count for a mean
    double l2;           ///< scikit-learn's alpha: weight gradients get + l2 * w before the division
    int vector_exp;      ///< 1: batch the sigmoids through the vectorized logistic (faster, not numpy's roundings)
} mlp_seed_options;

typedef struct {
    int64_t iterations_run;   ///< updates made
    int64_t reached;          ///< updates made before the error first fell below the goal, or -1
    double final_error;       ///< error of the returned parameters
    double minimum_error;     ///< lowest error seen
    int diverged;             ///< 1 if the error or a parameter became NaN or infinite (last finite kept)
} mlp_seed_result;

/// Trains in place. `errors` receives the error at iterations 0, 1000, 2000, ... (room for `errors_capacity`).
/// `scratch` needs 3 * (4 * hidden + 1) doubles. Returns the result; `parameters` holds the final weights.
mlp_seed_result mlp_seed_train(const double *x, const double *y, double *parameters, const mlp_seed_options *options,
                               double *errors, int64_t errors_capacity, double *scratch);

/// y[i] = exp(x[i]) by the engine's vector exp (glibc's __exp_fma, bit for bit) when the CPU has AVX2+FMA
/// and libm is glibc's; otherwise by libm's exp. Returns 1 when the vector exp ran. For tests.
int mlp_seed_exp_f64(const double *x, double *y, long n);
#endif
