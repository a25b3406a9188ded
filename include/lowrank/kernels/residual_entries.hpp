// The residual of a low-rank fit entry by entry: r_ij = (X Y^T)_ij - c A_ij over a chosen set of
// entries, for the problems whose loss couples the entries (missing entries, outliers), where the
// Gram shortcut of the full problem does not apply. One loop, the visitor decides what an entry adds.
#pragma once

#include "../matrix.hpp"
#include "elementwise.hpp"

namespace lowrank::kernels {

/// For every row i of A (m x n): for every j with keep(i, j), calls visit(i, j, r, x_i) with
/// r = x_i . y_j - c A_ij and x_i a pointer to row i of X (d contiguous values); then end_row(i).
/// X is m x d and Y n x d. Each entry costs d multiply-adds; nothing m x n is stored.
template <class Keep, class VA, class VX, class VY, class Visit, class EndRow>
void for_each_residual(const Keep& keep, VA a, typename VA::value_type c, VX x, VY y, Visit&& visit,
                       EndRow&& end_row) noexcept {
  using T = typename VA::value_type;
  constexpr index d = VX::cols;
  static_assert(VX::rows == VA::rows && VY::rows == VA::cols && VY::cols == d,
                "lowrank: X must be m x d and Y n x d for an m x n A");
  for (index i = 0; i < VA::rows; ++i) {
    T xi[d];  // row i of X, contiguous whatever X's layout, so the inner products vectorize
    for (index p = 0; p < d; ++p) xi[p] = x(i, p);
    for (index j = 0; j < VA::cols; ++j) {
      if (!keep(i, j)) continue;
      T approx = T(0);
      for (index p = 0; p < d; ++p) approx += xi[p] * y(j, p);
      visit(i, j, approx - c * a(i, j), static_cast<const T*>(xi));
    }
    end_row(i);
  }
}

/// keep() for "every entry".
struct every_entry {
  /// True: every entry (i, j) is kept.
  constexpr bool operator()(index, index) const noexcept { return true; }
};

/// sum of r_ij^2 over the kept entries, r = x_i . y_j - c A_ij: rows summed in T, the row sums with
/// compensation (as frobenius_inner).
template <class Keep, class VA, class VX, class VY>
double residual_sum_of_squares(const Keep& keep, VA a, typename VA::value_type c, VX x, VY y) noexcept {
  using T = typename VA::value_type;
  lowrank::detail::compensated_sum<T> total;
  T row_sum = T(0);
  for_each_residual(
      keep, a, c, x, y, [&](index, index, T residual, const T*) noexcept { row_sum += residual * residual; },
      [&](index) noexcept {
        total.add(row_sum);
        row_sum = T(0);
      });
  return total.value();
}

}  // namespace lowrank::kernels
