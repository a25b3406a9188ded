// Alternating gradient descent (Ward & Kolda, Assumption 1):
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t)
//   Y_{t+1} = Y_t - eta grad_Y f(X_{t+1}, Y_t)      (Y uses the updated X)
// The contract it implements is contracts/method.hpp; the step is a fixed_step (fixed_step.hpp).
#pragma once

#include "../contracts/method.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"
#include "fixed_step.hpp"

namespace lowrank::methods {

/// Alternating gradient descent (AGD) with a fixed step, for X Y^T problems (lowrank::solve).
template <class T>
struct agd {
  using value_type = T;  ///< the scalar type, float or double
  fixed_step<T> step;  ///< eta: relative to sigma_1(A) by default

  /// eta = 1 / sigma_1(A), estimated at the start of each solve.
  agd() noexcept = default;
  /// A fixed eta in A's units (1 / A).
  explicit agd(T eta) noexcept : step{eta} {}
  /// "agd", for logs.
  static constexpr const char* name() noexcept { return "agd"; }

  /// Per-run state, kept by the driver.
  struct state {
    T step = T(0);                ///< eta in problem units
    bool gram_x_current = false;  ///< w.gram_x holds X^T X of the current X (set by advance)
  };

  /// invalid_argument unless the step's parameters are in range (fixed_step::validate).
  status validate() const noexcept { return step.validate(); }

  /// Sets the state for a run: eta in problem units (estimating sigma_1 for a relative step);
  /// invalid_argument when that step is not positive and finite.
  template <class Problem, class Work>
  status begin(const Problem& problem, Work& w, state& s) const noexcept {
    s = state{step.in_problem_units(problem, w), false};
    return s.step > T(0) ? status::ok : status::invalid_argument;
  }

  /// grad_X at (X_t, Y_t) into w.grad_x; returns f(X_t, Y_t) and ||grad_X||^2.
  template <class Problem, class MX, class MY, class Work>
  evaluation evaluate(const Problem& problem, const MX& x, const MY& y, Work& w, state& s) const noexcept {
    gram(y, w.gram_y, w.gemm);
    if (!s.gram_x_current) gram(x, w.gram_x, w.gemm);  // else kept from the previous Y step
    s.gram_x_current = true;
    const double loss = problem.gradient_x(x, y, w.gram_x, w.gram_y, w.grad_x, w);
    return {loss, frobenius_inner(w.grad_x, w.grad_x)};
  }

  /// X_{t+1}, then Y_{t+1} from the gradient at (X_{t+1}, Y_t).
  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem& problem, MX& x, MY& y, Work& w, state& s) const noexcept {
    axpy(-s.step, w.grad_x, x);
    gram(x, w.gram_x, w.gemm);  // X_{t+1}^T X_{t+1}: for this Y step and for the next loss
    problem.gradient_y(x, y, w.gram_x, w.grad_y, w);
    axpy(-s.step, w.grad_y, y);
  }
};

}  // namespace lowrank::methods
