// The thin SVD of a product of factors: X (m x d) and Y (n x d) give U (m x d, orthonormal columns),
// s (d, descending, >= 0) and V (n x d, orthonormal columns) with X Y^T = U diag(s) V^T to rounding,
// in O((m + n) d^2) operations and without forming the m x n product.
//
// X = Q_X R_X and Y = Q_Y R_Y by Householder QR, so X Y^T = Q_X (R_X R_Y^T) Q_Y^T; the d x d core
// R_X R_Y^T = U_c diag(s) V_c^T by one-sided Jacobi; then U = Q_X U_c and V = Q_Y V_c. Householder
// rather than Cholesky QR (R from the Cholesky factor of X^T X, Q = X R^-1): Householder's Q is
// orthonormal to rounding unconditionally, while Cholesky QR loses orthogonality as cond(X)^2 eps and
// breaks down on a rank-deficient X (the usual factors of a d > rank fit), which is exactly where an
// SVD is wanted to tell the zero singular values apart.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "../data_scale.hpp"
#include "../kernels/elementwise.hpp"
#include "../matrix.hpp"
#include "../status.hpp"
#include "../workspace.hpp"
#include "householder_qr.hpp"
#include "jacobi_svd.hpp"

namespace lowrank::linalg {

/// Where thin_svd works: views of a ThinSvdWorkspace, or of a solver's Workspace (which is free once
/// the factorization is done, so a truncated SVD needs no more RAM than the factorization).
template <class T, index M, index N, index D, class Gemm>
struct thin_svd_scratch {
  column_major<T, M, D> qr_x;  ///< X scaled to entries of at most 1, then its Householder QR
  column_major<T, N, D> qr_y;  ///< the same for Y
  View<T, D, 1> tau_x;         ///< the reflectors' factors
  View<T, D, 1> tau_y;         ///< the same for Y
  View<T, D, D> core;          ///< (R_X R_Y^T)^T, then U_c^T
  View<T, D, D> core_v;        ///< V_c^T
  Gemm& gemm;                  ///< packing buffers for U = Q_X U_c and V = Q_Y V_c
};

/// Scratch for thin_svd of an m x d and an n x d factor; its sizeof is the extra RAM.
template <class T, index M, index N, index D>
struct ThinSvdWorkspace {
  static_assert(D >= 1 && D <= M && D <= N, "lowrank::ThinSvdWorkspace: d must be in 1..min(m, n)");
  Matrix<T, M, D> qr_x;    ///< storage for thin_svd_scratch::qr_x
  Matrix<T, N, D> qr_y;    ///< storage for thin_svd_scratch::qr_y
  Matrix<T, D, 1> tau_x;   ///< storage for thin_svd_scratch::tau_x
  Matrix<T, D, 1> tau_y;   ///< storage for thin_svd_scratch::tau_y
  Matrix<T, D, D> core;    ///< storage for thin_svd_scratch::core
  Matrix<T, D, D> core_v;  ///< storage for thin_svd_scratch::core_v
  GemmWorkspace<T, ::lowrank::detail::larger(M, N), D, D> gemm;  ///< thin_svd_scratch::gemm
};

/// The scratch of a ThinSvdWorkspace.
template <class T, index M, index N, index D>
auto scratch_for_thin_svd(ThinSvdWorkspace<T, M, N, D>& w) noexcept {
  return thin_svd_scratch<T, M, N, D, decltype(w.gemm)>{
      {w.qr_x.data()}, {w.qr_y.data()}, w.tau_x.view(), w.tau_y.view(), w.core.view(), w.core_v.view(), w.gemm};
}

/// The same storage borrowed from a solver's Workspace (the gradients, Grams and best-iterate
/// buffers; it overwrites them, so only between solves).
template <class T, index M, index N, index D>
auto scratch_for_thin_svd(Workspace<T, M, N, D>& w) noexcept {
  return thin_svd_scratch<T, M, N, D, decltype(w.gemm)>{
      {w.grad_x.data()}, {w.grad_y.data()}, block<0, 0, D, 1>(w.best_x.view()), block<0, 0, D, 1>(w.best_y.view()),
      w.gram_x.view(), w.gram_y.view(), w.gemm};
}

/// What thin_svd may assume of the left factor X.
enum class left_factor {
  general,      ///< any m x d X
  scaled_basis  ///< X = c Q with Q^T Q = I and c > 0 (the Nystrom start's X): its QR is c I, not computed
};

/// X Y^T = U diag(s) V^T (X m x d, Y n x d, U m x d, s d x 1, V n x d; U may be X itself and V may
/// be Y: the factors are copied into the scratch before anything is written). U and V have
/// orthonormal columns also when X Y^T has rank below d (its zero singular values then come out at
/// the rounding level, with orthonormal completions for their vectors). Statuses: ok;
/// invalid_input (a NaN or Inf in X or Y) and out_of_range (a singular value above the largest T),
/// both with the zero SVD written (set_zero_svd); max_iterations if the core's Jacobi sweeps ran out
/// (the result is then still orthonormal and finite). With left_factor::scaled_basis, X's columns
/// are taken as orthogonal and of equal norm: U is as orthonormal as they are.
template <class MX, class MY, class MU, class MS, class MV, class T, index M, index N, index D, class Gemm>
status thin_svd(const MX& x_in, const MY& y_in, MU&& u_in, MS&& s_in, MV&& v_in,
                const thin_svd_scratch<T, M, N, D, Gemm>& w, left_factor x_is = left_factor::general) noexcept {
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  const auto u = as_view(u_in);
  const auto s = as_view(s_in);
  const auto v = as_view(v_in);
  using VX = decltype(x);
  using VY = decltype(y);
  static_assert(std::is_same_v<scalar_of<const MX>, T> && std::is_same_v<scalar_of<const MY>, T> &&
                    std::is_same_v<scalar_of<MU>, T> && std::is_same_v<scalar_of<MS>, T> &&
                    std::is_same_v<scalar_of<MV>, T>,
                "lowrank::thin_svd: the factors, the outputs and the workspace must have the same scalar type");
  static_assert(VX::rows == M && VX::cols == D, "lowrank::thin_svd: X must be m x d for the workspace");
  static_assert(VY::rows == N && VY::cols == D, "lowrank::thin_svd: Y must be n x d for the workspace");
  static_assert(decltype(u)::rows == M && decltype(u)::cols == D, "lowrank::thin_svd: U must be m x d");
  static_assert(decltype(v)::rows == N && decltype(v)::cols == D, "lowrank::thin_svd: V must be n x d");
  static_assert(decltype(s)::rows == D && decltype(s)::cols == 1, "lowrank::thin_svd: s must be a d x 1 vector");

  T largest_x = T(0), largest_y = T(0);
  const bool finite = detail::largest_magnitude(x, largest_x) && detail::largest_magnitude(y, largest_y);
  if (!finite) {
    set_zero_svd(u, s, v);
    return status::invalid_input;
  }
  const int ex = detail::binary_exponent(largest_x);
  const int ey = detail::binary_exponent(largest_y);
  detail::copy_scaled_down(x, w.qr_x, ex);
  detail::copy_scaled_down(y, w.qr_y, ey);
  // A scaled basis X = c Q is its own QR with R_X = c I (c = ||X||_F / sqrt(d)); a zero X is not one.
  const T basis_scale =
      x_is == left_factor::scaled_basis
          ? static_cast<T>(std::sqrt(frobenius_inner(w.qr_x.view(), w.qr_x.view()) / static_cast<double>(D)))
          : T(0);
  const bool basis = basis_scale > T(0);
  if (!basis) householder_qr(w.qr_x, w.tau_x);
  householder_qr(w.qr_y, w.tau_y);
  // The core C = R_X R_Y^T (both upper triangular), stored transposed so that the Jacobi sweeps run
  // along contiguous columns of C; U_c and V_c come back transposed in the same storage.
  const auto core = transpose(w.core);
  const auto core_v = transpose(w.core_v);
  for (index i = 0; i < D; ++i)
    for (index j = 0; j < D; ++j) {
      T sum = T(0);
      if (basis) {
        sum = i >= j ? basis_scale * w.qr_y(j, i) : T(0);
      } else {
        for (index k = i > j ? i : j; k < D; ++k) sum += w.qr_x(i, k) * w.qr_y(j, k);
      }
      core(i, j) = sum;
    }
  const status result = jacobi_svd(core, s, core_v);
  bool representable = true;
  for (index j = 0; j < D; ++j) {
    s(j, 0) = std::ldexp(s(j, 0), ex + ey);
    representable = representable && std::isfinite(s(j, 0));
  }
  if (!representable) {
    set_zero_svd(u, s, v);
    return status::out_of_range;
  }
  if (!basis) form_householder_q(w.qr_x, w.tau_x);
  form_householder_q(w.qr_y, w.tau_y);
  gemm_blocked(basis ? T(1) / basis_scale : T(1), w.qr_x.view(), core, T(0), u, w.gemm);  // U = Q_X U_c
  gemm_blocked(T(1), w.qr_y.view(), core_v, T(0), v, w.gemm);  // V = Q_Y V_c
  return result;
}

/// thin_svd with a ThinSvdWorkspace or a Workspace of the factors' sizes.
template <class MX, class MY, class MU, class MS, class MV, class Work,
          class = decltype(scratch_for_thin_svd(std::declval<Work&>()))>
status thin_svd(const MX& x, const MY& y, MU&& u, MS&& s, MV&& v, Work& w,
                left_factor x_is = left_factor::general) noexcept {
  return thin_svd(x, y, u, s, v, scratch_for_thin_svd(w), x_is);
}

}  // namespace lowrank::linalg
