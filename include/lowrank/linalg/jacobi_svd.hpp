// The SVD of a small square matrix by one-sided Jacobi (Hestenes): plane rotations applied to the
// columns of W = C V until every pair is orthogonal to a relative tolerance; then sigma_j = ||w_j||,
// u_j = w_j / sigma_j. Simple, in place, no heap, and accurate to a few ulps of ||C||: enough for the
// d x d core of a thin SVD (thin_svd.hpp), where d is the factorization's rank.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "../data_scale.hpp"
#include "../kernels/elementwise.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank::linalg {

/// At most this many sweeps; Jacobi converges quadratically, so a square matrix of the sizes this
/// library factorizes (d up to a few dozen) needs far fewer.
inline constexpr int jacobi_max_sweeps = 40;

namespace detail {

/// The largest |entry| of v and whether every entry is finite.
template <class V>
bool largest_magnitude(V v, typename V::value_type& largest) noexcept {
  ::lowrank::detail::magnitude_scan<std::remove_const_t<typename V::value_type>> scan;
  visit_runs(v, [&](const auto* values, index count) noexcept { scan.add(values, count); });
  largest = scan.largest();
  return scan.finite();
}

/// The exponent e with largest = f 2^e, f in [1/2, 1) (0 for largest = 0): dividing by 2^e, which is
/// exact, brings the entries to at most 1, so that no square in the QR or the core overflows or
/// underflows whatever the units of X and Y.
template <class T>
int binary_exponent(T largest) noexcept {
  int e = 0;
  if (largest > T(0)) std::frexp(largest, &e);
  return e;
}

/// dst := src / 2^e, as two multiplications by powers of two (each representable even where 2^-e
/// alone is not, for a subnormal largest entry), exact wherever the result is a normal number.
template <class VS, class VD>
void copy_scaled_down(VS src, VD dst, int e) noexcept {
  using T = typename VD::value_type;
  const int half = -e / 2;
  const T first = std::ldexp(T(1), half);
  const T second = std::ldexp(T(1), -e - half);
  for (index i = 0; i < VS::rows; ++i)
    for (index j = 0; j < VS::cols; ++j) dst(i, j) = src(i, j) * first * second;
}

/// out := the first D columns of the identity (orthonormal, and finite whatever happened).
template <class V>
void set_identity_columns(V out) noexcept {
  using T = typename V::value_type;
  for (index i = 0; i < V::rows; ++i)
    for (index j = 0; j < V::cols; ++j) out(i, j) = i == j ? T(1) : T(0);
}

/// Swaps columns p and q of v.
template <class V>
void swap_columns(V v, index p, index q) noexcept {
  for (index i = 0; i < V::rows; ++i) {
    const auto t = v(i, p);
    v(i, p) = v(i, q);
    v(i, q) = t;
  }
}

/// Sets column j of u to a unit vector orthogonal to the columns marked in `have`: the coordinate
/// vector with the largest component outside their span (at least 1/D of it), orthogonalized by
/// Gram-Schmidt applied twice (once is not enough in floating point).
template <class V>
void complete_column(V u, const bool* have, index j) noexcept {
  using T = typename V::value_type;
  constexpr index n = V::rows;
  index best = 0;
  T best_residual = T(-1);
  for (index e = 0; e < n; ++e) {
    T residual = T(1);
    for (index c = 0; c < V::cols; ++c)
      if (have[c]) residual -= u(e, c) * u(e, c);
    if (residual > best_residual) {
      best_residual = residual;
      best = e;
    }
  }
  for (index i = 0; i < n; ++i) u(i, j) = i == best ? T(1) : T(0);
  for (int pass = 0; pass < 2; ++pass)
    for (index c = 0; c < V::cols; ++c) {
      if (!have[c]) continue;
      T dot = T(0);
      for (index i = 0; i < n; ++i) dot += u(i, c) * u(i, j);
      for (index i = 0; i < n; ++i) u(i, j) -= dot * u(i, c);
    }
  T norm = T(0);
  for (index i = 0; i < n; ++i) norm += u(i, j) * u(i, j);
  norm = std::sqrt(norm);
  for (index i = 0; i < n; ++i) u(i, j) /= norm;
}

/// (x, y) := (c x - s y, s x + c y) for two contiguous vectors of length n. Not unrolled: with n a
/// compile-time constant as small as d, GCC would unroll it completely into scalar code, where the
/// loop as written vectorizes.
template <class T>
void rotate(T c, T s, T* LOWRANK_RESTRICT x, T* LOWRANK_RESTRICT y, index n) noexcept {
#pragma GCC unroll 1
  for (index i = 0; i < n; ++i) {
    const T a = x[i], b = y[i];
    x[i] = c * a - s * b;
    y[i] = s * a + c * b;
  }
}

}  // namespace detail

/// The SVD of the zero matrix, written when there is no answer: s = 0, U and V the first d columns
/// of the identity. Finite and orthonormal, so code that goes on with it computes nothing wild.
template <class MU, class MS, class MV>
void set_zero_svd(MU&& u, MS&& s, MV&& v) noexcept {
  detail::set_identity_columns(as_view(u));
  detail::set_identity_columns(as_view(v));
  fill(s, scalar_of<MS>(0));
}

/// C = U diag(s) V^T for a square D x D C, given in `w` and overwritten by U; s (D x 1) descending
/// and >= 0, V (D x D) orthogonal. Columns of W at the rounding level of C (||w_j|| <= D eps ||C||_F)
/// are not rotated (their direction is noise) and their u_j is an orthonormal completion, so U is
/// orthogonal also for a singular C. Any finite C: it is worked on scaled by a power of two, so
/// entries near either end of T's range lose nothing. Returns ok; max_iterations if the sweeps ran out
/// (the result is then still an orthogonal U, V with C V = U diag(s) to the tolerance reached);
/// out_of_range if a singular value exceeds the largest T (it is then that largest value);
/// invalid_input for a NaN or Inf in C (s = 0, U = V = I).
template <class MW, class MS, class MV>
status jacobi_svd(MW&& w_in, MS&& s_in, MV&& v_in) noexcept {
  const auto w = as_view(w_in);
  const auto s = as_view(s_in);
  const auto v = as_view(v_in);
  using VW = decltype(w);
  using T = typename VW::value_type;
  constexpr index n = VW::rows;
  static_assert(VW::rows == VW::cols, "lowrank::jacobi_svd: the matrix must be square");
  static_assert(decltype(v)::rows == n && decltype(v)::cols == n, "lowrank::jacobi_svd: V must be D x D");
  static_assert(decltype(s)::rows == n && decltype(s)::cols == 1, "lowrank::jacobi_svd: s must be a D x 1 vector");

  // C is worked on scaled by the exact power of two that brings its largest entry to [1/2, 1): then
  // no square overflows, and the product of the squared norms of two columns above the noise level
  // (eps^2 ||C||^2) is a normal number, so that one square root gives ||w_p|| ||w_q||. s is scaled
  // back at the end.
  T largest_entry = T(0);
  if (!detail::largest_magnitude(w, largest_entry)) {
    set_zero_svd(w, s, v);
    return status::invalid_input;
  }
  const int exponent = detail::binary_exponent(largest_entry);
  detail::copy_scaled_down(w, w, exponent);

  constexpr T eps = std::numeric_limits<T>::epsilon();
  T frobenius2 = T(0);
  for (index i = 0; i < n; ++i)
    for (index j = 0; j < n; ++j) {
      frobenius2 += w(i, j) * w(i, j);
      v(i, j) = i == j ? T(1) : T(0);
    }
  const T noise2 = T(n * n) * eps * eps * frobenius2;
  // A dot product of length D is accurate to about D eps: a tighter test might never pass.
  const T tolerance2 = T(n * n) * eps * eps;

  // Columns contiguous in memory (a transposed row-major matrix, as thin_svd passes): plain pointers,
  // so that the compile-time-length loops unroll and the rotations vectorize.
  const bool contiguous_columns = w.row_stride() == 1 && v.row_stride() == 1;
  const auto inner = [&](index p, index q) noexcept {
    T sum = T(0);
    if (contiguous_columns) {
      const T* wp = &w(0, p);
      const T* wq = &w(0, q);
      T part[4] = {};  // four running sums: a quarter of the chain of dependent additions
      index i = 0;
      for (; i + 4 <= n; i += 4)
        for (index l = 0; l < 4; ++l) part[l] += wp[i + l] * wq[i + l];
      for (; i < n; ++i) part[i % 4] += wp[i] * wq[i];
      sum = (part[0] + part[2]) + (part[1] + part[3]);
    } else {
      for (index i = 0; i < n; ++i) sum += w(i, p) * w(i, q);
    }
    return sum;
  };
  const auto rotate_columns = [&](index p, index q, T cosine, T sine) noexcept {
    if (contiguous_columns) {
      detail::rotate(cosine, sine, &w(0, p), &w(0, q), n);
      detail::rotate(cosine, sine, &v(0, p), &v(0, q), n);
      return;
    }
    for (index i = 0; i < n; ++i) {
      const T wp = w(i, p), wq = w(i, q);
      w(i, p) = cosine * wp - sine * wq;
      w(i, q) = sine * wp + cosine * wq;
      const T vp = v(i, p), vq = v(i, q);
      v(i, p) = cosine * vp - sine * vq;
      v(i, q) = sine * vp + cosine * vq;
    }
  };

  // Round-robin order (the circle method): each sweep is n' - 1 rounds of n' / 2 disjoint pairs
  // (n' = n rounded up to even; pairs with the extra slot are skipped). The pairs of a round touch
  // different columns, so each round computes all its rotations first, as independent chains of
  // divisions and square roots that overlap in the core (the cyclic order (p, p + 1), (p, p + 2), ...
  // makes every rotation wait on the last), and then applies them.
  constexpr index slots = n + n % 2;
  constexpr index pairs = slots / 2;
  index order[slots];
  for (index i = 0; i < slots; ++i) order[i] = i;
  status result = status::max_iterations;
  T norm2[n];  // ||w_j||^2: recomputed at each sweep, updated by each rotation in between
  for (int sweep = 0; sweep < jacobi_max_sweeps && result != status::ok; ++sweep) {
    bool rotated = false;
    for (index j = 0; j < n; ++j) norm2[j] = inner(j, j);
    for (index round = 0; round + 1 < slots; ++round) {
      index first[pairs], second[pairs];
      T alpha[pairs], beta[pairs], gamma[pairs], t[pairs], c[pairs], sn[pairs];
      bool rotate[pairs];
      for (index k = 0; k < pairs; ++k) {
        const index p = order[k], q = order[slots - 1 - k];
        first[k] = p < q ? p : q;
        second[k] = p < q ? q : p;
        const bool real = second[k] < n;  // not a pair with the extra slot
        alpha[k] = real ? norm2[first[k]] : T(0);
        beta[k] = real ? norm2[second[k]] : T(0);
        gamma[k] = real ? inner(first[k], second[k]) : T(0);
      }
      // The rotations of the round, as straight-line arithmetic over the pairs (no indexing, no
      // short-circuit branches): the pairs' chains of divisions and square roots overlap.
      for (index k = 0; k < pairs; ++k) {
        // Rotate unless a column is at the noise level or the two are orthogonal to the tolerance
        // (gamma^2 > tol^2 alpha beta: all three are normal numbers above the noise level).
        rotate[k] = (alpha[k] > noise2) & (beta[k] > noise2) & (gamma[k] * gamma[k] > tolerance2 * alpha[k] * beta[k]);
        // The rotation that zeroes the (p, q) entry of W^T W: Rutishauser's t = sign(zeta) /
        // (|zeta| + sqrt(1 + zeta^2)), zeta = (beta - alpha) / (2 gamma), multiplied through by 2 |gamma|
        // (one division and one square root fewer; no square overflows: the entries are at most 1).
        const T g = rotate[k] ? gamma[k] : T(1);
        const T diff = beta[k] - alpha[k];
        const T twice = diff >= T(0) ? T(2) * g : T(-2) * g;
        t[k] = twice / (std::fabs(diff) + std::sqrt(diff * diff + T(4) * g * g));
        c[k] = T(1) / std::sqrt(T(1) + t[k] * t[k]);
        sn[k] = c[k] * t[k];
      }
      // The norms after the rotation: t solves t^2 + 2 zeta t = 1, so ||c w_p - s w_q||^2 is
      // alpha - t gamma and ||s w_p + c w_q||^2 is beta + t gamma (Rutishauser). Only the inner
      // product of the pair is then computed in the sweep, one dot instead of three.
      for (index k = 0; k < pairs; ++k) {
        if (!rotate[k]) continue;
        norm2[first[k]] = alpha[k] - t[k] * gamma[k];
        norm2[second[k]] = beta[k] + t[k] * gamma[k];
      }
      for (index k = 0; k < pairs; ++k) {
        if (!rotate[k]) continue;
        rotated = true;
        rotate_columns(first[k], second[k], c[k], sn[k]);
      }
      const index last = order[slots - 1];  // slot 0 stays; the others move one place round
      for (index i = slots - 1; i > 1; --i) order[i] = order[i - 1];
      if (slots > 1) order[1] = last;
    }
    if (!rotated) result = status::ok;
  }

  for (index j = 0; j < n; ++j) s(j, 0) = std::sqrt(inner(j, j));  // recomputed, not the tracked norms
  for (index j = 0; j < n; ++j) {  // selection sort, descending (D is small)
    index largest = j;
    for (index k = j + 1; k < n; ++k)
      if (s(k, 0) > s(largest, 0)) largest = k;
    if (largest == j) continue;
    const T t = s(j, 0);
    s(j, 0) = s(largest, 0);
    s(largest, 0) = t;
    detail::swap_columns(w, j, largest);
    detail::swap_columns(v, j, largest);
  }
  bool have[n] = {};
  const T tiny = std::numeric_limits<T>::min() / eps;  // below it, 1 / sigma could overflow
  for (index j = 0; j < n; ++j) {
    const T sigma = s(j, 0);
    if (sigma > tiny && sigma * sigma > noise2) {
      for (index i = 0; i < n; ++i) w(i, j) /= sigma;
      have[j] = true;
    }
  }
  for (index j = 0; j < n; ++j) {
    if (have[j]) continue;
    detail::complete_column(w, have, j);
    have[j] = true;
  }
  // s 2^exponent, as two exact factors (2^exponent alone need not be a T).
  const T up_first = std::ldexp(T(1), exponent / 2);
  const T up_second = std::ldexp(T(1), exponent - exponent / 2);
  for (index j = 0; j < n; ++j) {
    const T value = s(j, 0) * up_first * up_second;
    if (!(value <= std::numeric_limits<T>::max())) {
      s(j, 0) = std::numeric_limits<T>::max();
      result = status::out_of_range;
    } else {
      s(j, 0) = value;
    }
  }
  return result;
}

}  // namespace lowrank::linalg
