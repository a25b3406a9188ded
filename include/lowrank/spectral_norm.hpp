// sigma_1(A), the largest singular value, by power iteration on A^T A. The paper assumes sigma_1 is
// known; in practice it is estimated. The Rayleigh quotient approaches sigma_1^2 from below, and a
// small underestimate only acts like a slightly smaller C in the initialization.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "random/gaussian.hpp"

namespace lowrank {

/// Power-iteration settings.
struct power_iteration_options {
  index max_iterations = 100;       ///< upper bound on products with A and A^T (each)
  double tolerance = 1e-6;          ///< stop when sigma_1^2 changes by less than this fraction
  std::uint64_t seed = 0x5eed5eedULL;  ///< the random start vector's seed
};

/// Settings for a sigma_1 that only sets a scale (a step, the size of a start): a few per mille is
/// plenty, and on data whose top singular values are close the default's 1e-6 would run power
/// iteration to its cap, at many times the cost of a solver iteration.
inline constexpr power_iteration_options scale_estimate = [] {
  power_iteration_options o;
  o.tolerance = 1e-3;
  return o;
}();

/// Estimates the largest singular value of a linear operator given as two products:
/// times(v, u) sets u = A v and transpose_times(u, v) sets v = A^T u, for an m x 1 `u` and an n x 1 `v`
/// (views into spare storage, which the estimate overwrites). Returns 0 for A = 0.
template <class T, class Times, class TransposeTimes, class VU, class VV>
double power_iteration(const Times& times, const TransposeTimes& transpose_times, VU u, VV v,
                       const power_iteration_options& options = {}) noexcept {
  random::GaussianGenerator<T> gaussian(options.seed);
  random::fill_gaussian(gaussian, v);
  double previous = 0.0;
  double sigma_squared = 0.0;
  for (index k = 0; k < options.max_iterations; ++k) {
    const double v_norm_squared = frobenius_inner(v, v);
    if (!(v_norm_squared > 0.0)) return 0.0;  // A v = 0 or A^T u = 0: A is (numerically) zero
    scale(static_cast<T>(1.0 / std::sqrt(v_norm_squared)), v);
    times(v, u);                           // u = A v
    sigma_squared = frobenius_inner(u, u);  // Rayleigh quotient v^T A^T A v, ||v|| = 1
    transpose_times(u, v);                  // v = A^T A v
    if (std::fabs(sigma_squared - previous) <= options.tolerance * sigma_squared) break;
    previous = sigma_squared;
  }
  return std::sqrt(sigma_squared);
}

/// Estimates sigma_1(A) for a matrix A (m x n). `u` (m x 1) and `v` (n x 1) are scratch vectors
/// (views into any spare storage, e.g. a column of a workspace matrix); `gemm_ws` is a packing
/// workspace. Returns 0 for A = 0.
template <class MA, class VU, class VV, class Gemm>
double estimate_sigma_max(const MA& a, VU u, VV v, Gemm& gemm_ws, const power_iteration_options& options = {}) noexcept {
  using T = scalar_of<const MA>;
  return power_iteration<T>([&](auto in, auto out) noexcept { gemm(T(1), a, in, T(0), out, gemm_ws); },
                            [&](auto in, auto out) noexcept { gemm(T(1), transpose(as_view(a)), in, T(0), out, gemm_ws); },
                            u, v, options);
}

/// sigma_1 of a problem's data in problem units (sigma_1(A) / s), through its data_times products,
/// with column 0 of the workspace's gradient buffers as scratch.
template <class Problem, class Work>
double estimate_data_sigma_max(const Problem& problem, Work& w, const power_iteration_options& options = {}) noexcept {
  using T = typename Problem::value_type;
  return power_iteration<T>([&](auto in, auto out) noexcept { problem.data_times(T(1), in, out, w); },
                            [&](auto in, auto out) noexcept { problem.data_transpose_times(T(1), in, out, w); },
                            column(w.grad_x.view(), 0), column(w.grad_y.view(), 0), options);
}

}  // namespace lowrank
