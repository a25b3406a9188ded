// An independent reference SVD in double precision for tests, and the test problems built on it.
//
// Host-only test support: it uses std::vector freely and shares no code with the library. The SVD is
// one-sided Jacobi (Hestenes): plane rotations orthogonalize the columns of W = A V until every pair
// is orthogonal to a relative tolerance; then sigma_j = ||w_j|| and u_j = w_j / sigma_j. It is slow
// (O(m n^2) per sweep, a handful of sweeps) but simple and accurate to a few ulps, which is what a
// reference should be. Wide matrices (m < n) are handled through the transpose.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include <lowrank/matrix.hpp>

namespace lowrank::test {

/// A (thin) singular value decomposition A = U diag(s) V^T of an m x n matrix, k = min(m, n) (or the
/// planted rank, for `make_low_rank`). All fields row-major: u(i, j) = u[i * k + j].
struct SvdResult {
  index m = 0;
  index n = 0;
  index k = 0;
  std::vector<double> u;  ///< m x k, orthonormal columns (the left singular vectors)
  std::vector<double> s;  ///< k singular values, descending, >= 0
  std::vector<double> v;  ///< n x k, orthonormal columns (the right singular vectors)
  int sweeps = 0;         ///< Jacobi sweeps done (0 for a planted factorization)
  bool converged = true;  ///< every column pair orthogonal to the tolerance

  double u_at(index i, index j) const { return u[i * k + j]; }
  double v_at(index i, index j) const { return v[i * k + j]; }
};

namespace detail {

template <class M, class = void>
struct is_matrix_like : std::false_type {};
template <class M>
struct is_matrix_like<M, std::void_t<decltype(as_view(std::declval<M&>()))>> : std::true_type {};

template <class M>
using enable_if_matrix = std::enable_if_t<is_matrix_like<std::remove_reference_t<M>>::value, int>;

[[noreturn]] inline void svd_fail(const char* message) {
  std::fprintf(stderr, "lowrank::test: %s\n", message);
  std::abort();
}

/// SVD of a tall (rows >= cols) matrix given column-major in `w` (rows x cols, columns contiguous);
/// `w` is overwritten.
inline SvdResult jacobi_svd_tall(std::vector<double> w, index rows, index cols, double tol,
                                 int max_sweeps) {
  const index m = rows;
  const index n = cols;
  std::vector<double> vt(n * n, 0.0);  // V column-major: column j at vt[j * n]
  for (index j = 0; j < n; ++j) vt[j * n + j] = 1.0;

  // Columns whose norm is at the rounding level of A (m eps ||A||_F) hold nothing but noise: their
  // direction cannot be orthogonalized reliably (a rotation against a large column leaves rounding
  // debris parallel to it, sweep after sweep), so they are not rotated, and their u is completed.
  constexpr double eps = std::numeric_limits<double>::epsilon();
  double fro2 = 0.0;
  for (const double x : w) fro2 += x * x;
  const double noise2 = static_cast<double>(m) * eps * static_cast<double>(m) * eps * fro2;
  // The dot product of two length-m columns is only accurate to about sqrt(m) eps.
  tol = std::max(tol, std::sqrt(static_cast<double>(m)) * eps);

  SvdResult r;
  r.m = m;
  r.n = n;
  r.k = n;
  r.converged = false;
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    bool rotated = false;
    for (index p = 0; p + 1 < n; ++p) {
      for (index q = p + 1; q < n; ++q) {
        double* wp = &w[p * m];
        double* wq = &w[q * m];
        double alpha = 0.0, beta = 0.0, gamma = 0.0;
        for (index i = 0; i < m; ++i) {
          alpha += wp[i] * wp[i];
          beta += wq[i] * wq[i];
          gamma += wp[i] * wq[i];
        }
        if (alpha <= noise2 || beta <= noise2) continue;
        if (gamma == 0.0 || !(std::fabs(gamma) > tol * std::sqrt(alpha) * std::sqrt(beta))) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of W^T W (Rutishauser's formulas).
        const double zeta = (beta - alpha) / (2.0 * gamma);
        const double t = (zeta >= 0.0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1.0 + zeta * zeta));
        const double c = 1.0 / std::sqrt(1.0 + t * t);
        const double s = c * t;
        for (index i = 0; i < m; ++i) {
          const double a = wp[i], b = wq[i];
          wp[i] = c * a - s * b;
          wq[i] = s * a + c * b;
        }
        double* vp = &vt[p * n];
        double* vq = &vt[q * n];
        for (index i = 0; i < n; ++i) {
          const double a = vp[i], b = vq[i];
          vp[i] = c * a - s * b;
          vq[i] = s * a + c * b;
        }
      }
    }
    r.sweeps = sweep + 1;
    if (!rotated) {
      r.converged = true;
      break;
    }
  }

  // Singular values are the column norms; sort them descending.
  std::vector<double> norms(n);
  for (index j = 0; j < n; ++j) {
    double sum = 0.0;
    for (index i = 0; i < m; ++i) sum += w[j * m + i] * w[j * m + i];
    norms[j] = std::sqrt(sum);
  }
  std::vector<index> order(n);
  std::iota(order.begin(), order.end(), index{0});
  std::stable_sort(order.begin(), order.end(), [&](index a, index b) { return norms[a] > norms[b]; });

  r.s.resize(n);
  r.u.assign(m * n, 0.0);
  r.v.assign(n * n, 0.0);
  // Also treat as noise what cannot be normalized without overflow or denormals.
  const double tiny = std::numeric_limits<double>::min() / eps;
  std::vector<bool> have(n, false);
  for (index jj = 0; jj < n; ++jj) {
    const index j = order[jj];
    const double sigma = norms[j];
    r.s[jj] = sigma;
    for (index i = 0; i < n; ++i) r.v[i * n + jj] = vt[j * n + i];
    if (sigma > tiny && sigma * sigma > noise2) {
      for (index i = 0; i < m; ++i) r.u[i * n + jj] = w[j * m + i] / sigma;
      have[jj] = true;
    }
  }

  // Complete U with orthonormal directions for the noise columns: the unit vector e_i with the
  // largest component outside the span of the columns so far (|x|^2 = 1 - sum_c u(i, c)^2, at least
  // 1/m for the best i), orthogonalized by Gram-Schmidt applied twice.
  for (index jj = 0; jj < n; ++jj) {
    if (have[jj]) continue;
    index best = 0;
    double best_residual = -1.0;
    for (index e = 0; e < m; ++e) {
      double residual = 1.0;
      for (index c = 0; c < n; ++c)
        if (have[c]) residual -= r.u[e * n + c] * r.u[e * n + c];
      if (residual > best_residual) {
        best_residual = residual;
        best = e;
      }
    }
    std::vector<double> x(m, 0.0);
    x[best] = 1.0;
    for (int pass = 0; pass < 2; ++pass)
      for (index c = 0; c < n; ++c) {
        if (!have[c]) continue;
        double dot = 0.0;
        for (index i = 0; i < m; ++i) dot += r.u[i * n + c] * x[i];
        for (index i = 0; i < m; ++i) x[i] -= dot * r.u[i * n + c];
      }
    double norm = 0.0;
    for (index i = 0; i < m; ++i) norm += x[i] * x[i];
    norm = std::sqrt(norm);
    for (index i = 0; i < m; ++i) r.u[i * n + jj] = x[i] / norm;
    have[jj] = true;
  }
  return r;
}

}  // namespace detail

/// Singular values (descending) and singular vectors of A (any lowrank Matrix or View, float or
/// double; converted to double). One-sided Jacobi, sweeping until no column pair has
/// |w_p . w_q| > max(tol, sqrt(m) eps) ||w_p|| ||w_q|| (or max_sweeps, reported in `converged`).
/// Singular values at the rounding level, below m eps ||A||_F, are returned as computed (tiny), but
/// their left singular vectors are an orthonormal completion rather than normalized noise.
template <class M, detail::enable_if_matrix<M> = 0>
SvdResult svd_double(const M& a, double tol = 1e-15, int max_sweeps = 100) {
  const auto av = as_view(a);
  using V = decltype(av);
  constexpr index m = V::rows;
  constexpr index n = V::cols;
  if constexpr (m >= n) {
    std::vector<double> w(m * n);
    for (index j = 0; j < n; ++j)
      for (index i = 0; i < m; ++i) w[j * m + i] = static_cast<double>(av(i, j));
    return detail::jacobi_svd_tall(std::move(w), m, n, tol, max_sweeps);
  } else {
    // A^T = V S U^T: decompose the transpose (n x m, tall) and swap the roles of U and V.
    std::vector<double> w(n * m);
    for (index j = 0; j < m; ++j)
      for (index i = 0; i < n; ++i) w[j * n + i] = static_cast<double>(av(j, i));
    SvdResult r = detail::jacobi_svd_tall(std::move(w), n, m, tol, max_sweeps);
    std::swap(r.u, r.v);
    std::swap(r.m, r.n);
    return r;
  }
}

/// ||A||_F^2 in double.
template <class M, detail::enable_if_matrix<M> = 0>
double frobenius_norm_squared(const M& a) {
  const auto av = as_view(a);
  double sum = 0.0;
  for (index i = 0; i < av.rows; ++i)
    for (index j = 0; j < av.cols; ++j) {
      const double x = static_cast<double>(av(i, j));
      sum += x * x;
    }
  return sum;
}

/// sum_{i >= d} sigma_i^2: the squared Frobenius error of the best rank-d approximation
/// (Eckart-Young), from a computed SVD.
inline double best_rank_error_squared(const SvdResult& svd, index d) {
  double sum = 0.0;
  for (index i = svd.k; i-- > d;) sum += svd.s[i] * svd.s[i];  // smallest first
  return sum;
}

/// sum_{i >= d} sigma_i(A)^2: the squared Frobenius error of the best rank-d approximation of A.
template <class M, detail::enable_if_matrix<M> = 0>
double best_rank_error_squared(const M& a, index d) {
  return best_rank_error_squared(svd_double(a), d);
}

/// The best rank-d error relative to ||A||_F^2: the floor that relative_error_squared can reach.
template <class M, detail::enable_if_matrix<M> = 0>
double best_rank_relative_error_squared(const M& a, index d) {
  return best_rank_error_squared(svd_double(a), d) / test::frobenius_norm_squared(a);
}

/// The largest singular value (the spectral norm) of A.
template <class M, detail::enable_if_matrix<M> = 0>
double sigma_max(const M& a) {
  return svd_double(a).s[0];
}

/// ||A - X Y^T||_F^2 / ||A||_F^2 by a plain double loop; X is m x d, Y is n x d. For A = 0 it
/// returns the absolute error ||X Y^T||_F^2.
template <class MA, class MX, class MY, detail::enable_if_matrix<MA> = 0>
double relative_error_squared(const MA& a, const MX& x, const MY& y) {
  const auto av = as_view(a);
  const auto xv = as_view(x);
  const auto yv = as_view(y);
  static_assert(decltype(xv)::rows == decltype(av)::rows, "relative_error_squared: X must have m rows");
  static_assert(decltype(yv)::rows == decltype(av)::cols, "relative_error_squared: Y must have n rows");
  static_assert(decltype(xv)::cols == decltype(yv)::cols, "relative_error_squared: X, Y rank differs");
  constexpr index d = decltype(xv)::cols;
  double err = 0.0, norm = 0.0;
  for (index i = 0; i < av.rows; ++i)
    for (index j = 0; j < av.cols; ++j) {
      double xy = 0.0;
      for (index p = 0; p < d; ++p) xy += static_cast<double>(xv(i, p)) * static_cast<double>(yv(j, p));
      const double aij = static_cast<double>(av(i, j));
      err += (aij - xy) * (aij - xy);
      norm += aij * aij;
    }
  return norm > 0.0 ? err / norm : err;
}

/// `count` values evenly spaced from `first` to `last` (e.g. the singular values 1, ..., 0.9).
inline std::vector<double> linspace(index count, double first, double last) {
  std::vector<double> out(count);
  for (index i = 0; i < count; ++i)
    out[i] = count == 1 ? first
                        : first + (last - first) * static_cast<double>(i) / static_cast<double>(count - 1);
  return out;
}

namespace detail {

/// `cols` random orthonormal columns of length `rows` (row-major rows x cols): Gaussian columns,
/// modified Gram-Schmidt applied twice.
inline std::vector<double> random_orthonormal(index rows, index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<double> q(rows * cols);
  for (index j = 0; j < cols; ++j)
    for (index i = 0; i < rows; ++i) q[i * cols + j] = gauss(rng);
  for (index j = 0; j < cols; ++j) {
    for (int pass = 0; pass < 2; ++pass)
      for (index c = 0; c < j; ++c) {
        double dot = 0.0;
        for (index i = 0; i < rows; ++i) dot += q[i * cols + c] * q[i * cols + j];
        for (index i = 0; i < rows; ++i) q[i * cols + j] -= dot * q[i * cols + c];
      }
    double norm = 0.0;
    for (index i = 0; i < rows; ++i) norm += q[i * cols + j] * q[i * cols + j];
    norm = std::sqrt(norm);
    if (!(norm > 0.0)) svd_fail("random_orthonormal: a Gaussian column fell into the span (rerun)");
    for (index i = 0; i < rows; ++i) q[i * cols + j] /= norm;
  }
  return q;
}

}  // namespace detail

/// Fills A (m x n, float or double) with U diag(s) V^T, U and V random orthonormal (m x r, n x r,
/// r = s.size() <= min(m, n)), plus, if noise_relative > 0, Gaussian noise N scaled so that
/// ||N||_F = noise_relative ||U diag(s) V^T||_F. Draws U's entries, then V's, then N's (column by
/// column for U and V, row by row for N) from `rng`. Returns the planted, noise-free factorization
/// (in double; A itself is rounded to its scalar type).
template <class M>
SvdResult make_low_rank(M&& a, const std::vector<double>& s, std::mt19937_64& rng,
                        double noise_relative = 0.0) {
  auto av = as_view(a);
  using V = decltype(av);
  using T = typename V::value_type;
  constexpr index m = V::rows;
  constexpr index n = V::cols;
  const index r = s.size();
  if (r > (m < n ? m : n)) detail::svd_fail("make_low_rank: more singular values than min(m, n)");

  SvdResult planted;
  planted.m = m;
  planted.n = n;
  planted.k = r;
  planted.sweeps = 0;
  planted.s = s;
  planted.u = detail::random_orthonormal(m, r, rng);
  planted.v = detail::random_orthonormal(n, r, rng);

  std::vector<double> l(m * n, 0.0);
  double norm2 = 0.0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) {
      double sum = 0.0;
      for (index p = 0; p < r; ++p) sum += planted.u[i * r + p] * s[p] * planted.v[j * r + p];
      l[i * n + j] = sum;
      norm2 += sum * sum;
    }
  if (noise_relative > 0.0) {
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::vector<double> noise(m * n);
    double noise2 = 0.0;
    for (double& x : noise) {
      x = gauss(rng);
      noise2 += x * x;
    }
    const double scale = noise_relative * std::sqrt(norm2) / std::sqrt(noise2);
    for (index i = 0; i < m * n; ++i) l[i] += scale * noise[i];
  }
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) av(i, j) = static_cast<T>(l[i * n + j]);
  return planted;
}

}  // namespace lowrank::test
