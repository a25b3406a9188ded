// An independent robust PCA error for the fuzzer: the double-thresholding operator T_alpha of
// problems/robust.hpp as its documentation defines it (an entry is an outlier when its residual is
// finite, above the floor tau, and among the floor(alpha count) largest in magnitude of its row and
// of its column, ties taken in index order), evaluated in long double with plain loops, and the
// measured loss g = 1/2 sum_kept r^2 + 1/2 tau^2 |S| relative to g at X = Y = 0.
//
// T_alpha is discontinuous where residuals tie: when the data repeat a value and X Y^T is below half
// an ulp of it, the residuals formed in T tie exactly while the exact ones do not, and the support
// (so the loss) can differ by far more than rounding. The reference therefore also chooses the
// support on the residuals as T forms them (the sums are still exact), and a report may match either.
#pragma once

#include <cmath>

#include <lowrank/lowrank.hpp>

#include "checks.hpp"

namespace lowrank::fuzz {

/// floor(alpha count), with the library's documented guard for the rounding of alpha; 0 for an
/// alpha outside [0, 1/2) (the problem refuses it: the reference is then never compared).
inline index reference_quota(long double alpha, index count) noexcept {
  if (!(alpha >= 0 && alpha < 0.5L)) return 0;
  const long double c = static_cast<long double>(count);
  return static_cast<index>(alpha * c + 1e-6L * c + 1e-9L);
}

/// The k-th largest of values[0 .. count - 1] (insertion sort, descending) and how many exceed it;
/// +inf for k = 0.
inline long double reference_kth_largest(long double* values, index count, index k, index& above) noexcept {
  for (index p = 1; p < count; ++p)
    for (index q = p; q > 0 && values[q - 1] < values[q]; --q) {
      const long double t = values[q];
      values[q] = values[q - 1];
      values[q - 1] = t;
    }
  above = 0;
  if (k == 0 || count == 0) return INFINITY;
  const long double kth = values[k - 1];
  for (index p = 0; p + 1 < k; ++p) above += values[p] > kth ? 1 : 0;
  return kth;
}

/// 2 g(X, Y) / largest^2 for robust PCA of A with options `o` (every entry observed), in two parts:
/// the kept residuals' sum of squares and the outliers' cost tau^2 |S|.
struct robust_parts {
  long double kept = 0;
  long double outlier_cost = 0;
  long double rounding = 0;  ///< as long_double_error::rounding, over the kept entries
  long double total() const noexcept { return kept + outlier_cost; }
};

/// (A - X Y^T)(i, j) formed in T (products, then their sum, then the difference), / largest.
template <class T, index M, index N, class MX, class MY>
long double residual_formed_in(const Matrix<T, M, N>& a, const MX& x, const MY& y, index i, index j,
                               long double largest) noexcept {
  T approx = T(0);
  for (index k = 0; k < MX::cols; ++k) approx += x(i, k) * y(j, k);
  return static_cast<long double>(a(i, j) - approx) / largest;
}

/// The parts of 2 g(X, Y) / largest^2; `support_in_t`: T_alpha chosen on the residuals as T forms
/// them rather than on the exact ones.
template <class T, index M, index N, class MX, class MY>
robust_parts robust_loss(const Matrix<T, M, N>& a, const MX& x, const MY& y, const problems::robust_options<T>& o,
                         long double largest, bool support_in_t) noexcept {
  long double r[M][N];        // the exact residual, summed
  long double chosen[M][N];   // the residual T_alpha is chosen on
  long double rounding[M][N] = {};
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      r[i][j] = scaled_residual(a, x, y, i, j, largest, &rounding[i][j]);
      chosen[i][j] = support_in_t ? residual_formed_in(a, x, y, i, j, largest) : r[i][j];
    }
  const long double alpha = static_cast<long double>(o.sparse_fraction);
  const long double floor = static_cast<long double>(o.outlier_floor) / largest;
  long double column_threshold[N];
  index column_ties[N];
  long double values[M > N ? M : N];
  for (index j = 0; j < N; ++j) {
    for (index i = 0; i < M; ++i) values[i] = std::isnan(chosen[i][j]) ? INFINITY : std::fabs(chosen[i][j]);
    index above = 0;
    const index k = reference_quota(alpha, M);
    column_threshold[j] = reference_kth_largest(values, M, k, above);
    column_ties[j] = k - above;
  }
  long double kept = 0, kept_rounding = 0;
  index outliers = 0;
  for (index i = 0; i < M; ++i) {
    for (index j = 0; j < N; ++j) values[j] = std::isnan(chosen[i][j]) ? INFINITY : std::fabs(chosen[i][j]);
    index above = 0;
    const index k = reference_quota(alpha, N);
    const long double row_threshold = reference_kth_largest(values, N, k, above);
    index row_ties = k - above;
    for (index j = 0; j < N; ++j) {
      const long double v = std::fabs(chosen[i][j]);
      const bool in_row = v > row_threshold || (v == row_threshold && row_ties > 0);
      const bool in_column = v > column_threshold[j] || (v == column_threshold[j] && column_ties[j] > 0);
      if (std::isfinite(chosen[i][j]) && v > floor && in_row && in_column) {
        row_ties -= v == row_threshold ? 1 : 0;
        column_ties[j] -= v == column_threshold[j] ? 1 : 0;
        ++outliers;
      } else {
        kept += r[i][j] * r[i][j];
        kept_rounding += rounding[i][j];
      }
    }
  }
  return {kept, floor * floor * static_cast<long double>(outliers), kept_rounding};
}

/// The reference errors: g(X, Y) and g(0, 0) (as long_double_error's residual and data), and g(X, Y)
/// with the support chosen on the residuals formed in T (residual_other_support); `kept_at_zero`
/// receives the kept part at X = Y = 0 (zero: prepare's zero_input).
template <class T, index M, index N, class MX, class MY>
long_double_error robust_error(const Matrix<T, M, N>& a, const MX& x, const MY& y,
                               const problems::robust_options<T>& o, long double* kept_at_zero = nullptr) noexcept {
  long_double_error e;
  const long double largest = largest_magnitude(a, [](index, index) noexcept { return true; });
  if (largest == 0) return e;
  MX zero_x;
  MY zero_y;
  fill(zero_x, T(0));
  fill(zero_y, T(0));
  const robust_parts at_x = robust_loss(a, x, y, o, largest, false);
  e.residual = at_x.total();
  e.rounding = at_x.rounding;
  e.residual_other_support = robust_loss(a, x, y, o, largest, true).total();
  const robust_parts at_zero = robust_loss(a, zero_x, zero_y, o, largest, false);
  e.data = at_zero.total();
  if (kept_at_zero != nullptr) *kept_at_zero = at_zero.kept;
  return e;
}

}  // namespace lowrank::fuzz
