#ifndef MLP_TRAINING_PASSES_H
#define MLP_TRAINING_PASSES_H
// Elementwise passes of the training loop, one sweep over memory each, vectorized per instruction set.
// Each computes exactly what the scalar loop in Swift would (no contraction into FMA), so results are
// bit-identical to the scalar code and to scikit-learn's formulas.

/// c[r, j] = act(c[r, j] + bias[j]); act 0 = identity, 1 = relu (max(x, 0), NaN kept).   c: (rows, cols)
void mlp_bias_activation_f64(double *c, const double *bias, long rows, long cols, int act);
void mlp_bias_activation_f32(float *c, const float *bias, long rows, long cols, int act);
/// delta[i] = z[i] == 0 ? 0 : delta[i]  (relu's derivative in terms of its output)
void mlp_relu_backward_f64(double *delta, const double *z, long count);
void mlp_relu_backward_f32(float *delta, const float *z, long count);
/// delta[i] *= z[i] * (1 - z[i])
void mlp_logistic_backward_f64(double *delta, const double *z, long count);
void mlp_logistic_backward_f32(float *delta, const float *z, long count);
/// delta[i] *= 1 - z[i] * z[i]
void mlp_tanh_backward_f64(double *delta, const double *z, long count);
void mlp_tanh_backward_f32(float *delta, const float *z, long count);
/// dst row r = src row rows[r] for r < count; rows are `width` elements, stored contiguously.
void mlp_gather_rows_f64(double *dst, const double *src, long width, const long *rows, long count);
void mlp_gather_rows_f32(float *dst, const float *src, long width, const long *rows, long count);
/// out[j] = (Σ_r m[r, j]) / normalizer, summing rows in order.   m: (rows, cols), row stride ld
void mlp_column_sums_f64(const double *m, long rows, long cols, long ld, double normalizer, double *out);
void mlp_column_sums_f32(const float *m, long rows, long cols, long ld, float normalizer, float *out);
/// g[i] = (g[i] + alpha * w[i]) / normalizer
void mlp_weight_gradient_f64(double *g, const double *w, long count, double alpha, double normalizer);
void mlp_weight_gradient_f32(float *g, const float *w, long count, float alpha, float normalizer);
/// Adam, scikit-learn's form: m = b1 m + c1 g; v = b2 v + c2 g²; p += (−η_t m) / (√v + ε). With l2 != 0 the
/// weight gradient is finished first in the same sweep, g = (g + alpha p) / normalizer (and stored back).
void mlp_adam_f64(double *p, double *g, double *m, double *v, long count, double b1, double b2, double c1,
                  double c2, double negative_step, double eps, int l2, double alpha, double normalizer);
void mlp_adam_f32(float *p, float *g, float *m, float *v, long count, float b1, float b2, float c1, float c2,
                  float negative_step, float eps, int l2, float alpha, float normalizer);
/// SGD, scikit-learn's form: v = μ v − η g; p += nesterov ? μ v − η g : v. l2 as for Adam.
void mlp_sgd_f64(double *p, double *g, double *v, long count, double mu, double eta, int nesterov, int l2,
                 double alpha, double normalizer);
void mlp_sgd_f32(float *p, float *g, float *v, long count, float mu, float eta, int nesterov, int l2, float alpha,
                 float normalizer);
/// Σ x[i]² with 16 interleaved partial sums, combined pairwise: the same order on every instruction set.
double mlp_sum_squares_f64(const double *x, long count);
float mlp_sum_squares_f32(const float *x, long count);
#endif
