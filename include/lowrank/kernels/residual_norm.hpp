// ||A - X Y^T||_F^2 computed exactly, entry by entry, without an m x n buffer.
//
// Solvers track the loss in Gram form (||A||^2 - 2<X, A Y> + <X^T X, Y^T Y>), which is free but
// cancels catastrophically once the error is below about 1e3 * epsilon * ||A||^2. This is the
// certified value used near the target: one pass over A, d multiply-adds per entry, done by the
// micro-kernel one register tile of the residual at a time (a tile of A minus the tile of X Y^T).
#pragma once

#include <cmath>

#include "../matrix.hpp"
#include "blocking.hpp"
#include "elementwise.hpp"
#include "residual_entries.hpp"
#include "target.hpp"

namespace lowrank {

namespace detail {

/// part[j] += the sum of squares of column j of a rows x NR tile (rows NR apart): one running sum per
/// column, so that the sums are independent (and vectorize) instead of one long chain.
template <index NR, class T>
void add_sums_of_squares(const T* tile, index rows, T (&part)[NR]) noexcept {
  for (index i = 0; i < rows; ++i) {
#pragma GCC unroll 16
    for (index j = 0; j < NR; ++j) part[j] += tile[i * NR + j] * tile[i * NR + j];
  }
}

/// The residual through the native micro-kernel's direct contract: for each chunk of NR columns, Y's
/// rows for those columns are transposed into a small panel (depth chunks of kDepth), then each tile
/// of A is copied next to the kernel and the kernel subtracts X's rows times the panel from it.
/// X's rows must be contiguous (col_stride 1). Stack: one panel and one tile, about 2.5 KB on AVX2.
template <class K, class VA, class VX, class VY>
double residual_by_tiles(VA a, typename VA::value_type c, VX x, VY y) noexcept {
  using T = typename VA::value_type;
  constexpr index NR = K::nr;
  constexpr index kDepth = 32;
  constexpr index d = VX::cols;
  constexpr index H = K::rows_for(NR) > K::rows_for(1) ? K::rows_for(NR) : K::rows_for(1);
  alignas(storage_alignment) T panel[kDepth * NR];
  alignas(storage_alignment) T tile[H * NR];
  compensated_sum<T> total;
  for (index j0 = 0; j0 < VA::cols; j0 += NR) {
    const index cols = VA::cols - j0 < NR ? VA::cols - j0 : NR;
    const index height = K::rows_for(cols);
    T part[NR] = {};  // per column of the chunk, summed over its row tiles
    for (index i0 = 0; i0 < VA::rows; i0 += height) {
      const index rows = VA::rows - i0 < height ? VA::rows - i0 : height;
      // The tile of A; columns past `cols` (the last chunk) are zero, so they add nothing below.
      for (index i = 0; i < rows; ++i) {
        if (cols == NR && a.col_stride() == 1) {
          const T* row = &a(i0 + i, j0);
#pragma GCC unroll 16
          for (index j = 0; j < NR; ++j) tile[i * NR + j] = c * row[j];
        } else {
          for (index j = 0; j < NR; ++j) tile[i * NR + j] = j < cols ? c * a(i0 + i, j0 + j) : T(0);
        }
      }
      for (index p0 = 0; p0 < d; p0 += kDepth) {
        const index depth = d - p0 < kDepth ? d - p0 : kDepth;
        if (i0 == 0 || d > kDepth) {  // the panel for this column chunk (and depth chunk)
          for (index p = 0; p < depth; ++p)
            for (index j = 0; j < cols; ++j) panel[p * NR + j] = y(j0 + j, p0 + p);
        }
        K::template tile<false>(rows, cols, kernels::segment<T>{&x(i0, p0), x.row_stride(), panel, NR, depth}, tile,
                                NR, 1, T(-1), T(1));
      }
      add_sums_of_squares(tile, rows, part);
    }
    for (index j = 0; j < NR; ++j) total.add(part[j]);
  }
  return total.value();
}

}  // namespace detail

/// Returns ||c A - X Y^T||_F^2 for A (m x n), X (m x d), Y (n x d) and a scalar c (a problem's 1 / s),
/// accumulated in T with compensation (accurate to about the rounding of one term; see
/// frobenius_inner), with the micro-kernel of the packing workspace `gemm_ws`.
template <class MA, class MX, class MY, class Gemm>
double residual_norm_squared(const MA& a_in, scalar_of<const MA> c, const MX& x_in, const MY& y_in,
                             const Gemm& /*gemm_ws*/) noexcept {
  const auto a = as_view(a_in);
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  using VA = decltype(a);
  using VX = decltype(x);
  using VY = decltype(y);
  static_assert(VX::rows == VA::rows && VY::rows == VA::cols,
                "lowrank::residual_norm_squared: X must be m x d and Y n x d for an m x n A");
  static_assert(VX::cols == VY::cols, "lowrank::residual_norm_squared: X and Y need the same d");
  using K = typename Gemm::kernel;
  if constexpr (kernels::has_direct_tile<K>::value) {
    if (x.col_stride() == 1) return detail::residual_by_tiles<K>(a, c, x, y);
  }
  return kernels::residual_sum_of_squares(kernels::every_entry{}, a, c, x, y);
}

/// ||A||_F^2 (accumulated as frobenius_inner), and whether every entry is finite. The sum itself tells:
/// it is finite only if every entry is (a NaN or an infinity survives any sum of squares); only when it
/// is not are the entries checked one by one, since squares of large finite values can overflow too.
template <class MA>
double frobenius_norm_squared(const MA& a_in, bool* all_finite = nullptr) noexcept {
  const auto a = as_view(a_in);
  const double total = frobenius_inner(a, a);
  if (all_finite != nullptr) {
    bool finite = std::isfinite(total);
    if (!finite) {
      finite = true;
      for (index i = 0; i < a.rows; ++i)
        for (index j = 0; j < a.cols; ++j) finite = finite && std::isfinite(a(i, j));
    }
    *all_finite = finite;
  }
  return total;
}

}  // namespace lowrank
