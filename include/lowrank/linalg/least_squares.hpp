// Least squares through an SVD: the minimum-norm solution of min ||A x - b|| with A replaced by
// U diag(s) V^T (its rank-d approximation from truncated_svd, or its exact SVD from thin_svd of
// A = A I^T), x = V diag(1/s) U^T b, several right-hand sides at once. Singular values at most
// relative_cutoff s_1 count as zero (their 1/s would amplify noise without bound), which makes the
// solution the pseudo-inverse's on a rank-deficient A.
#pragma once

#include <cmath>
#include <limits>

#include "../kernels/elementwise.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank::linalg {

/// What solve_least_squares did.
struct least_squares_report {
  lowrank::status status = lowrank::status::ok;  ///< ok, invalid_input or invalid_argument
  index rank = 0;                                ///< singular values kept (above the cutoff)
};

/// The default relative cutoff for an m x n A, max(m, n) eps (LAPACK's and NumPy's): the rounding
/// level of the zero singular values of a backward-stable SVD, which is what thin_svd of A's own
/// entries gives. After truncated_svd the singular values are only as accurate as the factorization,
/// sqrt(report.relative_error) ||A||_F: pass a cutoff above that when d exceeds A's rank.
template <class T, index M, index N>
constexpr T default_relative_cutoff() noexcept {
  return T(M > N ? M : N) * std::numeric_limits<T>::epsilon();
}

/// X = V diag(1/s) U^T B (U m x d, s d x 1, V n x d, B m x k, X n x k), 1/s_i taken as 0 where
/// s_i <= relative_cutoff max_i s_i (or 1 / s_i overflows). X is the minimum-norm minimizer of ||U S V^T X - B||_F.
/// invalid_input (a NaN or Inf in U, s, V or B) and invalid_argument (a negative or NaN cutoff, or
/// a negative s_i) leave X = 0. Works column by column: d values of scratch on the stack.
template <class MU, class MS, class MV, class MB, class MX, class T = scalar_of<MX>>
least_squares_report solve_least_squares(const MU& u_in, const MS& s_in, const MV& v_in, const MB& b_in, MX&& x_in,
                                         T relative_cutoff = default_relative_cutoff<T, view_of<const MU>::rows,
                                                                                     view_of<const MV>::rows>()) noexcept {
  const auto u = as_view(u_in);
  const auto s = as_view(s_in);
  const auto v = as_view(v_in);
  const auto b = as_view(b_in);
  const auto x = as_view(x_in);
  using VU = decltype(u);
  using VV = decltype(v);
  constexpr index d = VU::cols;
  constexpr index k = decltype(b)::cols;
  static_assert(VV::cols == d && decltype(s)::rows == d && decltype(s)::cols == 1,
                "lowrank::solve_least_squares: U (m x d), s (d x 1) and V (n x d) must have the same d");
  static_assert(decltype(b)::rows == VU::rows, "lowrank::solve_least_squares: B must have m rows, as U");
  static_assert(decltype(x)::rows == VV::rows && decltype(x)::cols == k,
                "lowrank::solve_least_squares: X must be n x k for V n x d and B m x k");

  least_squares_report report;
  fill(x, T(0));
  bool finite = true;
  T largest = T(0);
  bool nonnegative = true;
  for (index i = 0; i < d; ++i) {
    finite = finite && std::isfinite(s(i, 0));
    nonnegative = nonnegative && s(i, 0) >= T(0);
    largest = s(i, 0) > largest ? s(i, 0) : largest;
  }
  for (index i = 0; i < VU::rows; ++i) {
    for (index j = 0; j < d; ++j) finite = finite && std::isfinite(u(i, j));
    for (index j = 0; j < k; ++j) finite = finite && std::isfinite(b(i, j));
  }
  for (index i = 0; i < VV::rows; ++i)
    for (index j = 0; j < d; ++j) finite = finite && std::isfinite(v(i, j));
  if (!finite) {
    report.status = status::invalid_input;
    return report;
  }
  if (!(relative_cutoff >= T(0)) || !nonnegative) {
    report.status = status::invalid_argument;
    return report;
  }
  const T cutoff = relative_cutoff * largest;
  T inverse[d] = {};
  for (index i = 0; i < d; ++i)
    if (s(i, 0) > cutoff && s(i, 0) > T(0) && std::isfinite(T(1) / s(i, 0))) {
      inverse[i] = T(1) / s(i, 0);
      ++report.rank;
    }
  for (index c = 0; c < k; ++c) {
    T coefficients[d] = {};  // diag(1/s) U^T b_c
    for (index i = 0; i < VU::rows; ++i)
      for (index j = 0; j < d; ++j) coefficients[j] += u(i, j) * b(i, c);
    for (index j = 0; j < d; ++j) coefficients[j] *= inverse[j];
    for (index i = 0; i < VV::rows; ++i) {
      T sum = T(0);
      for (index j = 0; j < d; ++j) sum += v(i, j) * coefficients[j];
      x(i, c) = sum;
    }
  }
  return report;
}

}  // namespace lowrank::linalg
