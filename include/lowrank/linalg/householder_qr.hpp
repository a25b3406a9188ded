// Householder QR of a tall matrix, kept in LAPACK's compact form: R on and above the diagonal, the
// reflectors' vectors below it (their leading 1 implied) and their factors tau. Q is never formed:
// apply_householder_q multiplies by it. Each reflector is orthogonal to rounding whatever the matrix,
// so Q's columns are orthonormal to a few ulps even for a rank-deficient or ill-conditioned input.
#pragma once

#include <cmath>

#include "../matrix.hpp"

namespace lowrank::linalg {

namespace detail {

/// sqrt(a^2 + b^2) without overflow or underflow of the squares.
template <class T>
T hypotenuse(T a, T b) noexcept {
  a = std::fabs(a);
  b = std::fabs(b);
  const T big = a > b ? a : b;
  const T small = a > b ? b : a;
  if (big == T(0)) return T(0);
  const T ratio = small / big;
  return big * std::sqrt(T(1) + ratio * ratio);
}

/// ||column j of a, rows first..R-1|| by a scaled sum of squares (no overflow or underflow).
template <class V>
typename V::value_type tail_norm(V a, index j, index first) noexcept {
  using T = typename V::value_type;
  T largest = T(0);
  for (index i = first; i < V::rows; ++i) {
    const T magnitude = std::fabs(a(i, j));
    largest = magnitude > largest ? magnitude : largest;
  }
  if (largest == T(0)) return T(0);
  T sum = T(0);
  for (index i = first; i < V::rows; ++i) {
    const T scaled = a(i, j) / largest;
    sum += scaled * scaled;
  }
  return largest * std::sqrt(sum);
}

}  // namespace detail

namespace detail {

/// y[j] += alpha x[j] for j < count, over strided rows (the contiguous case vectorizes).
template <class T>
void add_scaled_row(T alpha, const T* x, index x_stride, T* y, index y_stride, index count) noexcept {
  if (x_stride == 1 && y_stride == 1) {
    for (index j = 0; j < count; ++j) y[j] += alpha * x[j];
    return;
  }
  for (index j = 0; j < count; ++j) y[j * y_stride] += alpha * x[j * x_stride];
}

/// Applies H = I - tau v v^T (v(first) = 1, v(i) = qr(i, column) below it) to columns first_column..
/// of b, rows first..: w^T = v^T B, then B -= tau v w^T. Row by row, so that both passes run along
/// B's contiguous rows.
template <class VQ, class VB>
void apply_reflector(VQ qr, index column, typename VQ::value_type tau, VB b, index first,
                     index first_column) noexcept {
  using T = typename VQ::value_type;
  constexpr index cols = VB::cols;
  const index count = cols - first_column;
  const index stride = b.col_stride();
  T w[cols] = {};
  add_scaled_row(T(1), &b(first, first_column), stride, w, 1, count);
  for (index i = first + 1; i < VB::rows; ++i) add_scaled_row(qr(i, column), &b(i, first_column), stride, w, 1, count);
  add_scaled_row(-tau, w, 1, &b(first, first_column), stride, count);
  for (index i = first + 1; i < VB::rows; ++i)
    add_scaled_row(-tau * qr(i, column), w, 1, &b(i, first_column), stride, count);
}

}  // namespace detail

/// Factors a (R x C, R >= C) in place as Q R: afterwards R is on and above the diagonal, and column k
/// below the diagonal holds the reflector H_k = I - tau_k v_k v_k^T (v_k(k) = 1 implied), Q = H_0 ...
/// H_{C-1}. A column that is already zero below the diagonal gets tau = 0 (H = I), so rank-deficient
/// inputs need no special case.
template <class MA, class MTau>
void householder_qr(MA&& a_in, MTau&& tau_in) noexcept {
  const auto a = as_view(a_in);
  const auto tau = as_view(tau_in);
  using V = decltype(a);
  using T = typename V::value_type;
  constexpr index rows = V::rows;
  constexpr index cols = V::cols;
  static_assert(rows >= cols, "lowrank::householder_qr: the matrix must have at least as many rows as columns");
  static_assert(decltype(tau)::rows == cols && decltype(tau)::cols == 1,
                "lowrank::householder_qr: tau must be a (columns x 1) vector");
  for (index k = 0; k < cols; ++k) {
    // LAPACK's larfg: beta = -sign(alpha) ||(alpha, x)||, v = x / (alpha - beta), tau = (beta - alpha) / beta.
    const T alpha = a(k, k);
    const T tail = detail::tail_norm(a, k, k + 1);
    if (tail == T(0)) {
      tau(k, 0) = T(0);
      continue;
    }
    const T norm = detail::hypotenuse(alpha, tail);
    const T beta = alpha >= T(0) ? -norm : norm;
    tau(k, 0) = (beta - alpha) / beta;
    const T inverse = T(1) / (alpha - beta);
    for (index i = k + 1; i < rows; ++i) a(i, k) *= inverse;
    a(k, k) = beta;
    if (k + 1 < cols) detail::apply_reflector(a, k, tau(k, 0), a, k, k + 1);
  }
}

/// b := Q b for the Q of householder_qr (qr and tau as it left them), b R x K: the reflectors applied
/// last to first. With b = [B_top; 0] this gives the thin Q times B_top.
template <class MQ, class MTau, class MB>
void apply_householder_q(const MQ& qr_in, const MTau& tau_in, MB&& b_in) noexcept {
  const auto qr = as_view(qr_in);
  const auto tau = as_view(tau_in);
  const auto b = as_view(b_in);
  using VQ = decltype(qr);
  using T = typename VQ::value_type;
  static_assert(decltype(b)::rows == VQ::rows, "lowrank::apply_householder_q: B must have as many rows as Q");
  static_assert(decltype(tau)::rows == VQ::cols, "lowrank::apply_householder_q: tau must have one entry per column");
  constexpr index cols = decltype(b)::cols;
  for (index k = VQ::cols; k-- > 0;) {
    const T t = tau(k, 0);
    if (t == T(0)) continue;
    if (b.col_stride() != 1) {
      detail::apply_reflector(qr, k, t, b, k, 0);
      continue;
    }
    // Contiguous rows of a compile-time length: the same two passes, fully unrolled.
    // Two partial sums (even and odd rows) halve the chain of dependent additions.
    T w[cols];
    T w_odd[cols] = {};
    const T* top = &b(k, 0);
    for (index j = 0; j < cols; ++j) w[j] = top[j];
    index i = k + 1;
    for (; i + 1 < VQ::rows; i += 2) {
      const T v0 = qr(i, k), v1 = qr(i + 1, k);
      const T* row0 = &b(i, 0);
      const T* row1 = &b(i + 1, 0);
      for (index j = 0; j < cols; ++j) {
        w[j] += v0 * row0[j];
        w_odd[j] += v1 * row1[j];
      }
    }
    if (i < VQ::rows) {
      const T v = qr(i, k);
      const T* row = &b(i, 0);
      for (index j = 0; j < cols; ++j) w[j] += v * row[j];
    }
    for (index j = 0; j < cols; ++j) w[j] = t * (w[j] + w_odd[j]);
    T* first = &b(k, 0);
    for (index j = 0; j < cols; ++j) first[j] -= w[j];
    for (i = k + 1; i < VQ::rows; ++i) {
      const T v = qr(i, k);
      T* row = &b(i, 0);
      for (index j = 0; j < cols; ++j) row[j] -= v * w[j];
    }
  }
}

}  // namespace lowrank::linalg
