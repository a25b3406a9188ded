// Preconditioned gradient descent, PrecGD (Zhang, Fattahi & Zhang, NeurIPS 2021): ScaledGD with a
// damped preconditioner,
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t) (Y_t^T Y_t + lambda_t I)^-1
//   Y_{t+1} = Y_t - eta grad_Y f(X_t, Y_t) (X_t^T X_t + lambda_t I)^-1   (or at X_{t+1}: alternating)
// and for symmetric problems f(X) = phi(X X^T) (problems/symmetric.hpp, problems/sensing.hpp)
//   X_{t+1} = X_t - eta grad f(X_t) (X_t^T X_t + lambda_t I)^-1.
//
// The damping lambda_t. With d > r the factors must become singular at the solution (only r
// directions carry A), so the undamped preconditioner of ScaledGD blows up and plain GD slows from a
// linear to a sublinear rate. The paper's key result is that damping proportional to the current
// error, lambda_t ~ ||X_t Y_t^T - A||_F, restores the linear rate for any d >= r and any condition
// number: large enough that the vanishing directions are not amplified, small enough that the r
// directions carrying A are still scaled by their own (Gram) curvature. Since sqrt(f) =
// ||X Y^T - A||_F / sqrt(2) (and the same up to the RIP constant for matrix sensing), the default is
//   lambda_t = c sqrt(f(X_t, Y_t)),  c = 1,  clamped below by `damping_floor` (default 0).
// It costs nothing: f(X_t, Y_t) is computed with the gradient anyway. A floor keeps lambda from
// vanishing when the data are noisy (set it near the noise level) or to cap the preconditioner's gain.
// If G + lambda I is still numerically singular (lambda below the rounding level of G), lambda is
// raised until its Cholesky factorization succeeds (damped_cholesky_factor): the steps stay finite.
//
// PrecGD is not invariant to X -> X S, Y -> Y S^-T as ScaledGD is (lambda has the units of A): start
// it from balanced factors (init::random, init::colspan, init::nystrom), not the unbalanced
// init::proposed.
#pragma once

#include <cmath>

#include "scaled_gd.hpp"

namespace lowrank::methods {

/// PrecGD with step eta (0.5 is a good default; the damping makes steps up to 1 stable), for X Y^T
/// problems (lowrank::solve) and, with the same object, symmetric X X^T problems (solve_symmetric).
template <class T, update_order Order = update_order::simultaneous>
struct precgd : detail::preconditioned_method<precgd<T, Order>, T, Order> {
  T step;            ///< the fixed step eta (dimensionless)
  T damping_factor;  ///< c in lambda_t = c sqrt(f(X_t, Y_t)); must be >= 0
  T damping_floor;   ///< lambda_t >= this, in A's units; must be >= 0 (0: no floor)

  /// Step eta, damping factor c and damping floor (A's units); checked by validate().
  explicit precgd(T eta = T(0.5), T factor = T(1), T floor = T(0)) noexcept
      : step(eta), damping_factor(factor), damping_floor(floor) {}
  /// "precgd" or "alternating precgd", for logs.
  static constexpr const char* name() noexcept {
    return Order == update_order::simultaneous ? "precgd" : "alternating precgd";
  }

  /// invalid_argument unless 0 < eta, c >= 0 and the floor >= 0, all finite.
  status validate() const noexcept {
    const bool ok = step > T(0) && std::isfinite(step) && damping_factor >= T(0) && std::isfinite(damping_factor) &&
                    damping_floor >= T(0) && std::isfinite(damping_floor);
    return ok ? status::ok : status::invalid_argument;
  }

  /// lambda_t = max(c sqrt(f), floor / s, 0) at an iterate with loss f (problem units). |f|: the
  /// Gram-form loss can come out slightly negative at rounding level, where lambda should be at
  /// rounding level too.
  template <class Problem>
  T damping(double loss, const Problem& problem) const noexcept {
    return damping(loss, problem.scale().inverse);
  }
  /// The same with the floor divided by `floor_scale` (1: the floor as given).
  T damping(double loss, T floor_scale = T(1)) const noexcept {
    const T lambda = damping_factor * static_cast<T>(std::sqrt(std::fabs(loss)));
    const T floor = damping_floor * floor_scale;
    if (lambda > floor) return lambda;
    return floor > T(0) ? floor : T(0);
  }
};

}  // namespace lowrank::methods
