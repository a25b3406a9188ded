// Householder QR of a tall matrix, kept in LAPACK's compact form: R on and above the diagonal, the
// reflectors' vectors below it (their leading 1 implied) and their factors tau; form_householder_q
// turns them into Q's columns in place. Each reflector is orthogonal to rounding whatever the matrix,
// so Q's columns are orthonormal to a few ulps even for a rank-deficient or ill-conditioned input.
//
// The matrix is held column by column (`column_major`): every step works along columns (a column's
// norm, the reflector's dot products and updates), which are then contiguous runs that vectorize.
#pragma once

#include <cmath>
#include <limits>

#include "../matrix.hpp"

namespace lowrank::linalg {

/// An R x C matrix stored column after column (element (i, j) at data[i + j R]), over storage of R C
/// values that the caller owns (thin_svd borrows a Workspace's).
template <class T, index R, index C>
struct column_major {
  using value_type = T;            ///< the scalar type
  static constexpr index rows = R;  ///< R
  static constexpr index cols = C;  ///< C
  T* data;                          ///< the R C values, column after column
  /// Element (i, j).
  T& operator()(index i, index j) const noexcept { return data[i + j * R]; }
  /// Column j: R contiguous values.
  T* column(index j) const noexcept { return data + j * R; }
  /// The same storage as a view (for the products).
  View<T, R, C> view() const noexcept { return {data, 1, R}; }
};

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

/// a . b over count values, in 8 running sums so that the loop vectorizes (a single sum would be a
/// chain of dependent additions).
template <class T>
T dot(const T* a, const T* b, index count) noexcept {
  T part[8] = {};
  index i = 0;
  for (; i + 8 <= count; i += 8) {
#pragma GCC unroll 8
    for (index l = 0; l < 8; ++l) part[l] += a[i + l] * b[i + l];
  }
  T sum = ((part[0] + part[4]) + (part[2] + part[6])) + ((part[1] + part[5]) + (part[3] + part[7]));
  for (; i < count; ++i) sum += a[i] * b[i];
  return sum;
}

/// The smallest normal number over eps: below it, rounding to the subnormal spacing costs more than
/// the relative eps.
template <class T>
constexpr T safe_low() noexcept {
  return std::numeric_limits<T>::min() / std::numeric_limits<T>::epsilon();
}

/// value 2^e, as two exact factors (2^e alone need not be a T): exact wherever the result is normal.
template <class T>
T times_power_of_two(T value, int e) noexcept {
  return value * std::ldexp(T(1), e / 2) * std::ldexp(T(1), e - e / 2);
}

/// The 2-norm of x[0 .. count): the plain sum of squares where it is safe (finite, so no square
/// overflowed, and far above the smallest normal number, so underflow lost nothing that counts), else
/// a sum of squares scaled by the largest entry, as LAPACK's nrm2.
template <class T>
T vector_norm(const T* x, index count) noexcept {
  const T sum = dot(x, x, count);
  if (sum >= safe_low<T>() && sum <= std::numeric_limits<T>::max()) return std::sqrt(sum);
  T largest = T(0);
  for (index i = 0; i < count; ++i) {
    const T magnitude = std::fabs(x[i]);
    largest = magnitude > largest ? magnitude : largest;
  }
  if (largest == T(0)) return T(0);
  T scaled_sum = T(0);
  for (index i = 0; i < count; ++i) {
    const T scaled = x[i] / largest;
    scaled_sum += scaled * scaled;
  }
  return largest * std::sqrt(scaled_sum);
}

/// Applies H = I - tau v v^T (v = (1, v_tail)) to the columns of length `count` at b, stride `ld`, for
/// `columns` of them: w_j = b_j(0) + v_tail . b_j(1..), then b_j -= tau w_j v.
template <class T>
void apply_reflector_to_columns(const T* v_tail, T tau, T* b, index ld, index count, index columns) noexcept {
  for (index j = 0; j < columns; ++j) {
    T* column = b + j * ld;
    const T w = tau * (column[0] + dot(v_tail, column + 1, count - 1));
    column[0] -= w;
    for (index i = 1; i < count; ++i) column[i] -= w * v_tail[i - 1];
  }
}

}  // namespace detail

/// The order in which householder_qr takes the columns.
enum class column_order {
  as_given,       ///< a = Q R
  largest_first,  ///< at each step the column of largest remaining norm (LAPACK's geqp3 pivoting, the
                  ///< norms downdated as it does), so
                  ///< |R_kk| decreases and reveals the rank; a's columns are reordered in place and the
                  ///< order is not recorded: for a basis of a's column span, not a factorization of a
};

namespace detail {
/// After step k of a pivoted QR: the norms of rows k + 1.. of columns k + 1.. from those of rows k..
/// and row k of R (LAPACK's dlaqp2 update, with its recomputation test).
template <class T, index R, index C>
void downdate_norms(const column_major<T, R, C>& a, index k, T* remaining, T* computed) noexcept {
  const T limit = std::sqrt(std::numeric_limits<T>::epsilon());
  for (index j = k + 1; j < C; ++j) {
    if (remaining[j] == T(0)) continue;
    const T ratio = std::fabs(a(k, j)) / remaining[j];
    const T left = ratio < T(1) ? T(1) - ratio * ratio : T(0);
    const T relative = remaining[j] / computed[j];
    if (left * relative * relative <= limit) {
      remaining[j] = computed[j] = vector_norm(a.column(j) + k + 1, R - k - 1);
    } else {
      remaining[j] *= std::sqrt(left);
    }
  }
}
}  // namespace detail

/// Factors a (R x C, R >= C, column_major) in place as Q R: afterwards R is on and above the diagonal,
/// and column k below the diagonal holds the reflector H_k = I - tau_k v_k v_k^T (v_k(k) = 1 implied),
/// Q = H_0 ... H_{C-1}. A column that is already zero below the diagonal gets tau = 0 (H = I), so
/// rank-deficient inputs need no special case.
template <class T, index R, index C, class MTau>
void householder_qr(const column_major<T, R, C>& a, MTau&& tau_in,
                    column_order order = column_order::as_given) noexcept {
  const auto tau = as_view(tau_in);
  static_assert(R >= C, "lowrank::householder_qr: the matrix must have at least as many rows as columns");
  static_assert(decltype(tau)::rows == C && decltype(tau)::cols == 1,
                "lowrank::householder_qr: tau must be a (columns x 1) vector");
  // The norms of the columns' remaining parts (rows k..), for the pivoting: computed once and then
  // downdated by each step's row of R, as LAPACK's geqp3, recomputed where the downdate has cancelled
  // to below sqrt(eps) of the last computed norm (`computed`), where it would be inaccurate.
  const bool pivoting = order == column_order::largest_first;
  T remaining[C], computed[C];
  for (index j = 0; j < C; ++j) remaining[j] = computed[j] = pivoting ? detail::vector_norm(a.column(j), R) : T(0);
  for (index k = 0; k < C; ++k) {
    if (pivoting) {
      index largest = k;
      for (index j = k + 1; j < C; ++j)
        if (remaining[j] > remaining[largest]) largest = j;
      if (largest != k) {
        for (index i = 0; i < R; ++i) {
          const T t = a(i, k);
          a(i, k) = a(i, largest);
          a(i, largest) = t;
        }
        remaining[largest] = remaining[k];
        computed[largest] = computed[k];
      }
    }
    // LAPACK's larfg: beta = -sign(alpha) ||(alpha, x)||, v = x / (alpha - beta), tau = (beta - alpha) / beta.
    T* const column = a.column(k) + k;
    const T tail = detail::vector_norm(column + 1, R - k - 1);
    if (tail == T(0)) {
      tau(k, 0) = T(0);  // H_k = I
    } else {
      // A column below the safe range (subnormal entries, or nearly) is first scaled into it by an
      // exact power of two, as larfg rescales: v and tau do not depend on the scale, and subnormal
      // arithmetic would lose the relative accuracy that keeps H orthogonal (and 1 / (alpha - beta)
      // would overflow). R_kk is scaled back.
      T norm = detail::hypotenuse(column[0], tail);
      int exponent = 0;
      if (norm < detail::safe_low<T>()) {
        std::frexp(norm, &exponent);
        for (index i = 0; i < R - k; ++i) column[i] = detail::times_power_of_two(column[i], -exponent);
        norm = detail::hypotenuse(column[0], detail::vector_norm(column + 1, R - k - 1));
      }
      const T alpha = column[0];
      const T beta = alpha >= T(0) ? -norm : norm;
      tau(k, 0) = (beta - alpha) / beta;
      const T inverse = T(1) / (alpha - beta);  // |alpha - beta| >= norm: finite, and every |v_i| <= 1
      for (index i = 1; i < R - k; ++i) column[i] *= inverse;
      column[0] = detail::times_power_of_two(beta, exponent);
      detail::apply_reflector_to_columns(column + 1, tau(k, 0), a.column(k + 1) + k, R, R - k, C - k - 1);
    }
    if (pivoting) detail::downdate_norms(a, k, remaining, computed);
  }
}

/// Overwrites the compact QR (qr, tau, as householder_qr left them) with the thin Q itself (R x C,
/// orthonormal columns), as LAPACK's org2r: Q = H_0 ... H_{C-1} applied to the first C columns of the
/// identity, last reflector first, each column of Q formed where its reflector was. Column by column,
/// like the factorization.
template <class T, index R, index C, class MTau>
void form_householder_q(const column_major<T, R, C>& qr, const MTau& tau_in) noexcept {
  const auto tau = as_view(tau_in);
  static_assert(decltype(tau)::rows == C && decltype(tau)::cols == 1,
                "lowrank::form_householder_q: tau must be a (columns x 1) vector");
  for (index k = C; k-- > 0;) {
    T* const column = qr.column(k) + k;  // (1, v_tail) from row k down
    const T t = tau(k, 0);
    // Columns k + 1.. hold H_{k+1} ... H_{C-1} e_j, zero above row k + 1: H_k acts on rows k.. only.
    if (t != T(0)) detail::apply_reflector_to_columns(column + 1, t, qr.column(k + 1) + k, R, R - k, C - k - 1);
    column[0] = T(1) - t;  // H_k e_k = e_k - t v
    for (index i = 1; i < R - k; ++i) column[i] *= -t;
    for (index i = 0; i < k; ++i) qr(i, k) = T(0);
  }
}

}  // namespace lowrank::linalg
