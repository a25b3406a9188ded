// The step of the plain gradient methods (AGD, GD, feedback alignment), which has the units of
// 1 / A: given in A's units, or relative to sigma_1(A) so that it needs no tuning for any scale.
#pragma once

#include <cmath>

#include "../spectral_norm.hpp"
#include "../status.hpp"

namespace lowrank::methods {

/// A fixed step eta for X_{t+1} = X_t - eta grad_X f.
template <class T>
struct fixed_step {
  /// eta in A's units; 0 (the default): eta = relative / sigma_1(A), with sigma_1 estimated by power
  /// iteration at the start of each solve.
  T absolute = T(0);
  /// c in eta = c / sigma_1(A). Near a balanced solution the curvature of f along X is ||Y||_2^2 =
  /// sigma_1; from an unbalanced start (init::proposed: X large, Y small) the Y step's curvature is
  /// ||X||_2^2, larger still, so steps much above 1 / sigma_1 can diverge there. 1 is fast on the
  /// papers' problems and on real data alike.
  T relative = T(1);

  /// invalid_argument unless the absolute step is >= 0 and finite and the relative one > 0 and finite.
  status validate() const noexcept {
    const bool absolute_ok = absolute >= T(0) && std::isfinite(absolute);
    const bool relative_ok = relative > T(0) && std::isfinite(relative);
    return absolute_ok && relative_ok ? status::ok : status::invalid_argument;
  }

  /// eta in problem units (eta s, or c / sigma_1(A / s)); 0 when sigma_1 cannot be estimated (the
  /// caller reports it) or eta s is not finite.
  template <class Problem, class Work>
  T in_problem_units(const Problem& problem, Work& w) const noexcept {
    if (absolute > T(0)) {
      const T eta = absolute * problem.scale().unit;
      return std::isfinite(eta) ? eta : T(0);
    }
    const double sigma_1 = estimate_data_sigma_max(problem, w, scale_estimate);
    if (!(sigma_1 > 0.0) || !std::isfinite(sigma_1)) return T(0);
    return static_cast<T>(static_cast<double>(relative) / sigma_1);
  }
};

}  // namespace lowrank::methods
