// ||A - X Y^T||_F^2 computed exactly, entry by entry, without an m x n buffer.
//
// Solvers track the loss in Gram form (||A||^2 - 2<X, A Y> + <X^T X, Y^T Y>), which is free but
// cancels catastrophically once the error is below about 1e3 * epsilon * ||A||^2. This is the
// certified value used near the target: one pass over A, d multiply-adds per entry.
#pragma once

#include <cmath>

#include "../matrix.hpp"

namespace lowrank {

/// Returns ||A - X Y^T||_F^2 for A (m x n), X (m x d), Y (n x d). Each row's sum of squares is
/// accumulated in T (a row's terms are of similar size), and rows are summed in double so that the
/// total does not lose the small rows of a large matrix.
template <class MA, class MX, class MY>
double residual_norm_squared(const MA& a_in, const MX& x_in, const MY& y_in) noexcept {
  const auto a = as_view(a_in);
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  using VA = decltype(a);
  using VX = decltype(x);
  using VY = decltype(y);
  using T = typename VA::value_type;
  static_assert(VX::rows == VA::rows && VY::rows == VA::cols,
                "lowrank::residual_norm_squared: X must be m x d and Y n x d for an m x n A");
  static_assert(VX::cols == VY::cols, "lowrank::residual_norm_squared: X and Y need the same d");
  constexpr index d = VX::cols;
  double total = 0.0;
  for (index i = 0; i < VA::rows; ++i) {
    T xi[d];  // row i of X, contiguous, so the inner product below vectorizes for any X layout
    for (index k = 0; k < d; ++k) xi[k] = x(i, k);
    T row_sum = T(0);
    for (index j = 0; j < VA::cols; ++j) {
      T approx = T(0);
      for (index k = 0; k < d; ++k) approx += xi[k] * y(j, k);
      const T r = a(i, j) - approx;
      row_sum += r * r;
    }
    total += static_cast<double>(row_sum);
  }
  return total;
}

/// ||A||_F^2 (in double, as above), and whether every entry is finite.
template <class MA>
double frobenius_norm_squared(const MA& a_in, bool* all_finite = nullptr) noexcept {
  const auto a = as_view(a_in);
  using T = typename decltype(a)::value_type;
  double total = 0.0;
  bool finite = true;
  for (index i = 0; i < a.rows; ++i) {
    T row_sum = T(0);
    for (index j = 0; j < a.cols; ++j) {
      const T v = a(i, j);
      finite = finite && std::isfinite(v);
      row_sum += v * v;
    }
    total += static_cast<double>(row_sum);
  }
  if (all_finite != nullptr) *all_finite = finite;
  return total;
}

}  // namespace lowrank
