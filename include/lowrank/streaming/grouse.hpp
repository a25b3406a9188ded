// GROUSE (Balzano, Nowak & Recht, "Online identification and tracking of subspaces from highly
// incomplete information", 2010): tracks a d-dimensional subspace of R^m, U (m x d, orthonormal
// columns), from one column at a time with entries missing. Per column v observed on the rows Omega:
//   w = argmin ||U_Omega w - v_Omega||      (normal equations, a d x d Cholesky: O(|Omega| d^2))
//   p = U w,  r = v - U w on Omega, 0 elsewhere  (r is orthogonal to span(U): the normal equations)
//   U += ((cos t - 1) p / ||p|| + sin t r / ||r||) w^T / ||w||      (O(m d))
// a rotation of U along the Grassmannian geodesic that turns p towards p + r. The angle t is the
// greedy one, arctan(||r|| / ||p||), times `step_scale` (Balzano & Wright 2015 prove local linear
// convergence for it): at step_scale 1 a fully observed column is fitted exactly; smaller values
// average noise over more columns. Heap-free, sizes fixed at compile time; missing entries are NaN
// (any non-finite value).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"
#include "../matrix.hpp"
#include "../random/gaussian.hpp"
#include "../status.hpp"

namespace lowrank::streaming {

/// The parameters of a grouse tracker.
template <class T>
struct grouse_options {
  /// The geodesic step as a fraction of the greedy angle arctan(||r|| / ||p||), in (0, 1].
  T step_scale = T(1);
  /// Re-orthonormalize U every this many updates (>= 1). Each update is a rotation only in exact
  /// arithmetic: its rounding, and that of the least-squares w (which leaves r not quite
  /// orthogonal to U), let U^T U drift from I a little per column, and the normal equations assume
  /// orthonormal columns. Two passes of Gram-Schmidt cost O(m d^2), more than an update, so they
  /// are spread out: a few dozen updates drift by only a few dozen eps.
  index reorthonormalize_every = 32;

  /// invalid_argument unless step_scale is in (0, 1] and reorthonormalize_every >= 1, else ok.
  status validate() const noexcept {
    return step_scale > T(0) && step_scale <= T(1) && reorthonormalize_every >= 1 ? status::ok
                                                                                   : status::invalid_argument;
  }
};

/// The tracker of a D-dimensional subspace of R^M.
template <class T, index M, index D>
class grouse {
  static_assert(D >= 1 && D <= M, "lowrank::streaming::grouse: the subspace dimension d must be in [1, m]");

 public:
  /// Starts from a random subspace (Gaussian columns from `seed`, orthonormalized).
  explicit grouse(const grouse_options<T>& options = {}, std::uint64_t seed = 1) noexcept : options_(options) {
    random::GaussianGenerator<T> gaussian(seed);
    random::fill_gaussian(gaussian, u_);
    orthonormalize();
    fill(w_, T(0));
  }

  /// Takes column v (M x 1; NaN = missing) and rotates U towards it. unobservable (U unchanged)
  /// when fewer than D entries are observed or U restricted to them has rank < D (not
  /// positive definite); invalid_argument for bad options; ok otherwise (also when v already lies
  /// in span(U), and nothing moves).
  template <class MV>
  status update(const MV& column) noexcept {
    const auto v = as_view(column);
    static_assert(decltype(v)::rows == M && decltype(v)::cols == 1, "lowrank::streaming::grouse: v must be m x 1");
    if (options_.validate() != status::ok) return status::invalid_argument;
    const status fitted = fit(v);
    if (fitted != status::ok) return fitted;
    // p = U w and the residual r (zero off Omega); ||w|| = ||p|| for orthonormal U.
    double p_norm2 = 0.0, r_norm2 = 0.0, w_norm2 = 0.0;
    for (index k = 0; k < D; ++k) w_norm2 += static_cast<double>(w_(0, k)) * static_cast<double>(w_(0, k));
    for (index i = 0; i < M; ++i) {
      T p = T(0);
      for (index k = 0; k < D; ++k) p += u_(i, k) * w_(0, k);
      p_(i, 0) = p;
      r_(i, 0) = std::isfinite(v(i, 0)) ? v(i, 0) - p : T(0);
      p_norm2 += static_cast<double>(p) * static_cast<double>(p);
      r_norm2 += static_cast<double>(r_(i, 0)) * static_cast<double>(r_(i, 0));
    }
    if (!(p_norm2 > 0.0) || !(r_norm2 > 0.0) || !(w_norm2 > 0.0)) return status::ok;  // nothing to turn
    const double p_norm = std::sqrt(p_norm2), r_norm = std::sqrt(r_norm2);
    const double angle = static_cast<double>(options_.step_scale) * std::atan(r_norm / p_norm);
    const T along_p = static_cast<T>((std::cos(angle) - 1.0) / p_norm);
    const T along_r = static_cast<T>(std::sin(angle) / r_norm);
    const T inverse_w = static_cast<T>(1.0 / std::sqrt(w_norm2));
    T w_unit[D];
    for (index k = 0; k < D; ++k) w_unit[k] = w_(0, k) * inverse_w;
    for (index i = 0; i < M; ++i) {
      const T direction = along_p * p_(i, 0) + along_r * r_(i, 0);
      for (index k = 0; k < D; ++k) u_(i, k) += direction * w_unit[k];
    }
    if (++since_orthonormalized_ >= options_.reorthonormalize_every) orthonormalize();
    ++updates_;
    return status::ok;
  }

  /// Replaces U by the orthonormalized columns of `basis` (M x D); not_positive_definite (U
  /// unchanged) if they are dependent or not finite.
  template <class MB>
  status set_subspace(const MB& basis) noexcept {
    const auto b = as_view(basis);
    static_assert(decltype(b)::rows == M && decltype(b)::cols == D, "lowrank::streaming::grouse: the basis must be m x d");
    Matrix<T, M, D> previous;
    copy(u_, previous);
    copy(b, u_);
    if (!orthonormalize()) {
      copy(previous, u_);
      return status::not_positive_definite;
    }
    return status::ok;
  }

  /// U: M x D, orthonormal columns.
  const Matrix<T, M, D>& subspace() const noexcept { return u_; }
  /// The coefficients w of the last column taken (1 x D), before that column's rotation.
  const Matrix<T, 1, D>& weights() const noexcept { return w_; }
  /// U w before the last rotation: the last column's projection, missing entries filled in.
  const Matrix<T, M, 1>& last_fit() const noexcept { return p_; }
  /// Columns that moved U.
  index updates() const noexcept { return updates_; }

 private:
  /// w = argmin ||U_Omega w - v_Omega|| by the normal equations (G = U_Omega^T U_Omega).
  template <class VV>
  status fit(VV v) noexcept {
    Matrix<T, D, D> g;
    fill(g, T(0));
    fill(w_, T(0));
    index observed = 0;
    for (index i = 0; i < M; ++i) {
      if (!std::isfinite(v(i, 0))) continue;
      ++observed;
      for (index a = 0; a < D; ++a) {
        const T u_ia = u_(i, a);
        w_(0, a) += u_ia * v(i, 0);
        for (index b = 0; b <= a; ++b) g(a, b) += u_ia * u_(i, b);
      }
    }
    if (observed < D) {
      fill(w_, T(0));
      return status::unobservable;
    }
    if (cholesky_factor(g) != status::ok) {
      fill(w_, T(0));
      return status::unobservable;
    }
    cholesky_solve_rows(g, w_);  // w^T := w^T G^-1, G symmetric
    return status::ok;
  }

  /// Modified Gram-Schmidt, twice ("twice is enough"); false if a column is, to rounding, in the
  /// span of the ones before it.
  bool orthonormalize() noexcept {
    since_orthonormalized_ = 0;
    for (int pass = 0; pass < 2; ++pass)
      for (index k = 0; k < D; ++k) {
        T before = T(0);
        for (index i = 0; i < M; ++i) before += u_(i, k) * u_(i, k);
        for (index q = 0; q < k; ++q) {
          T dot = T(0);
          for (index i = 0; i < M; ++i) dot += u_(i, q) * u_(i, k);
          for (index i = 0; i < M; ++i) u_(i, k) -= dot * u_(i, q);
        }
        T norm2 = T(0);
        for (index i = 0; i < M; ++i) norm2 += u_(i, k) * u_(i, k);
        const T floor = static_cast<T>(M) * std::numeric_limits<T>::epsilon();
        if (!(norm2 > floor * floor * before) || !std::isfinite(norm2)) return false;
        const T inverse = T(1) / std::sqrt(norm2);
        for (index i = 0; i < M; ++i) u_(i, k) *= inverse;
      }
    return true;
  }

  grouse_options<T> options_;
  Matrix<T, M, D> u_;
  Matrix<T, 1, D> w_;
  Matrix<T, M, 1> p_;
  Matrix<T, M, 1> r_;
  index since_orthonormalized_ = 0;
  index updates_ = 0;
};

}  // namespace lowrank::streaming
