// The theory of Ward & Kolda, as numbers a run can be compared with (Assumption 2, Theorem 5.1,
// Corollary 5.2). All in double: it is computed once per run, not per iteration.
//
// The loss here is the paper's: f = 1/2 ||A - X Y^T||_F^2, f_0 = f(X_0, Y_0).
#pragma once

#include <cmath>

#include "config.hpp"

namespace lowrank {

/// The constants of Ward & Kolda's guarantee for AGD from init::proposed, for an A of rank r with
/// factors of rank d: fill in the spectrum and the initialization's C and nu, read off the rate, the
/// step and the bounds. Losses and errors here are absolute (A's units squared), not relative.
struct agd_theory {
  double sigma_1;      ///< largest singular value of A
  double sigma_r;      ///< smallest nonzero singular value of A (r-th)
  index r;             ///< rank of A
  index d;             ///< factor rank, d >= r
  double C = 4.0;      ///< initialization constant (Assumption 2; Theorem 5.1 needs C >= 4)
  double nu = 1e-10;   ///< initialization constant, D = C nu / 9
  /// Probability knob of (A2b): the paper leaves it to the user. 1/2 makes the failure probability
  /// (C_1 tau)^(d-r+1) small for the universal constant C_1 while keeping rho, and so beta, useful.
  double tau = 0.5;

  /// rho = tau (1 - sqrt(r - 1) / sqrt(d))   (A2b)
  double rho() const noexcept {
    return tau * (1.0 - std::sqrt(static_cast<double>(r) - 1.0) / std::sqrt(static_cast<double>(d)));
  }
  /// beta = rho^2 sigma_r^2 / (C^2 sigma_1^2)   (A2c): the guaranteed per-iteration contraction is
  /// 1 - beta / 4.
  double beta() const noexcept {
    const double ratio = sigma_r / sigma_1;
    return rho() * rho() * ratio * ratio / (C * C);
  }
  /// D = C nu / 9, the largest value Assumption 2 allows.
  double D() const noexcept { return C * nu / 9.0; }
  /// The step of Corollary 5.2, eq. (8): eta = beta / sqrt(32 f_0 log(2 f_0 / eps)), which
  /// guarantees ||A - X_T Y_T^T||^2 <= eps at T = window(eta, f_0). eps is absolute (not relative).
  double step(double f0, double eps) const noexcept {
    return beta() / std::sqrt(32.0 * f0 * std::log(2.0 * f0 / eps));
  }
  /// The largest step Theorem 5.1 allows: 9 / (4 C nu sigma_1).
  double step_limit() const noexcept { return 9.0 / (4.0 * C * nu * sigma_1); }
  /// The guaranteed window T = floor(beta / (8 eta^2 f_0)) over which the bound holds.
  index window(double eta, double f0) const noexcept {
    return static_cast<index>(std::floor(beta() / (8.0 * eta * eta * f0)));
  }
  /// The bound of Theorem 5.1, eq. (6): ||A - X_t Y_t^T||_F^2 <= 2 exp(-beta t / 4) f_0.
  double residual_bound(index t, double f0) const noexcept {
    return 2.0 * std::exp(-beta() * static_cast<double>(t) / 4.0) * f0;
  }
  /// Corollary 5.2's iteration count without its absolute constant:
  /// (sigma_1 / sigma_r)^2 (1 / rho^2) log(||A||_F^2 / eps).
  double iteration_scale(double a_norm_squared, double eps) const noexcept {
    const double ratio = sigma_1 / sigma_r;
    return ratio * ratio / (rho() * rho()) * std::log(a_norm_squared / eps);
  }
  /// f_0 for the proposed initialization is (1 +- nu)^2 / 2 ||A||_F^2 (Proposition 4.3); this is the
  /// upper end, so a step from it is never larger than the exact one.
  double initial_loss_bound(double a_norm_squared) const noexcept {
    return 0.5 * (1.0 + nu) * (1.0 + nu) * a_norm_squared;
  }
};

}  // namespace lowrank
