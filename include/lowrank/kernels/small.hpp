// The small d x d products every solver needs: Gram matrices and Cholesky solves with small SPD
// matrices (the preconditioners of ScaledGD and PrecGD, the Nystrom step). d is at most a few dozen,
// so these are plain loops; the big products go through gemm.
#pragma once

#include <cmath>
#include <limits>

#include "../matrix.hpp"
#include "../status.hpp"
#include "gemm.hpp"

namespace lowrank {

/// G = X^T X (d x d) for X (n x d), through the blocked product.
template <class MX, class MG, class Workspace>
void gram(const MX& x, MG&& g, Workspace& workspace) noexcept {
  using VX = view_of<const MX>;
  using VG = view_of<MG>;
  static_assert(VG::rows == VX::cols && VG::cols == VX::cols,
                "lowrank::gram: G must be d x d where X is n x d");
  gemm(scalar_of<MG>(1), transpose(as_view(x)), as_view(x), scalar_of<MG>(0), static_cast<MG&&>(g),
       workspace);
}

/// Overwrites the lower triangle of the SPD matrix G with its Cholesky factor L (G = L L^T); the
/// strict upper triangle is not touched. Returns not_positive_definite (G unusable) when a pivot is
/// not positive and finite, which is how a singular or NaN Gram matrix shows up.
template <class MG>
status cholesky_factor(MG&& g_in) noexcept {
  const auto g = as_view(g_in);
  using V = decltype(g);
  using T = typename V::value_type;
  static_assert(V::rows == V::cols, "lowrank::cholesky_factor: the matrix must be square");
  constexpr index d = V::rows;
  for (index j = 0; j < d; ++j) {
    T pivot = g(j, j);
    for (index p = 0; p < j; ++p) pivot -= g(j, p) * g(j, p);
    if (!(pivot > T(0)) || !std::isfinite(pivot)) return status::not_positive_definite;
    const T l_jj = std::sqrt(pivot);
    g(j, j) = l_jj;
    for (index i = j + 1; i < d; ++i) {
      T s = g(i, j);
      for (index p = 0; p < j; ++p) s -= g(i, p) * g(j, p);
      g(i, j) = s / l_jj;
    }
  }
  return status::ok;
}

/// Cholesky factor of G + lambda I into the lower triangle of `factor`, for a symmetric positive
/// semidefinite G that may be singular (a Gram matrix of a rank-deficient factor) or, through rounding,
/// slightly indefinite. If the factorization fails, lambda is raised to d eps trace(G) (the rounding
/// level of G), then tenfold at a time, until it succeeds: the solves that follow stay finite instead
/// of turning to NaN. Returns the lambda actually used; NaN if none worked (G not finite).
template <class MG, class MF>
scalar_of<const MG> damped_cholesky_factor(const MG& g_in, scalar_of<const MG> lambda, MF&& factor_in) noexcept {
  const auto g = as_view(g_in);
  const auto factor = as_view(factor_in);
  using T = scalar_of<const MG>;
  constexpr index d = decltype(g)::rows;
  static_assert(decltype(g)::cols == d && decltype(factor)::rows == d && decltype(factor)::cols == d,
                "lowrank::damped_cholesky_factor: G and the factor must be d x d");
  T trace = T(0);
  for (index i = 0; i < d; ++i) trace += g(i, i);
  const T rounding_level = static_cast<T>(d) * std::numeric_limits<T>::epsilon() * trace;
  for (int attempt = 0; attempt < 64; ++attempt) {  // 64 tenfold raises pass any finite scale
    for (index i = 0; i < d; ++i)
      for (index j = 0; j <= i; ++j) factor(i, j) = g(i, j) + (i == j ? lambda : T(0));
    if (cholesky_factor(factor) == status::ok) return lambda;
    T raised = T(10) * lambda;
    if (raised < rounding_level) raised = rounding_level;
    if (!(raised > T(0))) raised = std::numeric_limits<T>::min();  // G = 0 and lambda = 0
    lambda = raised;
  }
  return std::numeric_limits<T>::quiet_NaN();
}

/// R := R G^-1 for every row of R (n x d), given the Cholesky factor L of the symmetric G in the
/// lower triangle of `l`. Each row r solves L L^T z = r (forward, then back substitution) in place.
///
/// Rows are independent, but each row's substitution is a chain of dependent multiply-adds and
/// divisions; solving one row at a time leaves the core waiting on that chain. So rows are solved 8 at a
/// time, transposed into a d x 8 block whose 8 lanes are independent (the compiler vectorizes them),
/// with the divisions replaced by multiplications with the d reciprocals of L's diagonal.
template <class ML, class MR>
void cholesky_solve_rows(const ML& l_in, MR&& r_in) noexcept {
  const auto l = as_view(l_in);
  const auto r = as_view(r_in);
  using VL = decltype(l);
  using VR = decltype(r);
  static_assert(VL::rows == VL::cols, "lowrank::cholesky_solve_rows: L must be square");
  static_assert(VR::cols == VL::rows, "lowrank::cholesky_solve_rows: R must have d columns for a d x d L");
  using T = typename VR::value_type;
  constexpr index d = VL::rows;
  // The block is d x lanes values on the stack: at most 2 KB (one row at a time beyond that).
  constexpr index lanes = d * 8 * sizeof(T) <= 2048 ? 8 : 1;
  T inverse[d];
  for (index i = 0; i < d; ++i) inverse[i] = T(1) / l(i, i);
  T block[d][lanes];
  for (index row0 = 0; row0 < VR::rows; row0 += lanes) {
    const index live = VR::rows - row0 < lanes ? VR::rows - row0 : lanes;
    for (index q = 0; q < lanes; ++q)
      for (index i = 0; i < d; ++i) block[i][q] = q < live ? r(row0 + q, i) : T(0);
    // Fully unrolled for small d, so that the block's rows stay in (vector) registers.
#pragma GCC unroll 16
    for (index i = 0; i < d; ++i) {  // L y = r
#pragma GCC unroll 16
      for (index p = 0; p < i; ++p) {
        const T lip = l(i, p);
#pragma GCC unroll 8
        for (index q = 0; q < lanes; ++q) block[i][q] -= lip * block[p][q];
      }
#pragma GCC unroll 8
      for (index q = 0; q < lanes; ++q) block[i][q] *= inverse[i];
    }
#pragma GCC unroll 16
    for (index back = 0; back < d; ++back) {  // L^T z = y, from the last row up
      const index i = d - 1 - back;
#pragma GCC unroll 16
      for (index p = i + 1; p < d; ++p) {
        const T lpi = l(p, i);
#pragma GCC unroll 8
        for (index q = 0; q < lanes; ++q) block[i][q] -= lpi * block[p][q];
      }
#pragma GCC unroll 8
      for (index q = 0; q < lanes; ++q) block[i][q] *= inverse[i];
    }
    for (index q = 0; q < live; ++q)
      for (index i = 0; i < d; ++i) r(row0 + q, i) = block[i][q];
  }
}

}  // namespace lowrank
