// Plain (simultaneous) gradient descent, the method of Ward & Kolda's Section 6 experiments:
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t),   Y_{t+1} = Y_t - eta grad_Y f(X_t, Y_t).
// The contract it implements is contracts/method.hpp; the step is a fixed_step (fixed_step.hpp).
#pragma once

#include "../contracts/detect.hpp"
#include "../contracts/method.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"
#include "fixed_step.hpp"

namespace lowrank::methods {

namespace detail {
/// Whether a problem computes both gradients at one (X, Y) in a single pass over its data
/// (problems::full does); others are asked for each gradient in turn.
template <class Problem, class MX, class MY, class Work>
using gradients_op = decltype(std::declval<const Problem&>().gradients(
    std::declval<const MX&>(), std::declval<const MY&>(), std::declval<const decltype(Work::gram_x)&>(),
    std::declval<const decltype(Work::gram_y)&>(), std::declval<decltype(Work::grad_x)&>(),
    std::declval<decltype(Work::grad_y)&>(), std::declval<Work&>()));
}  // namespace detail

/// Plain (simultaneous) gradient descent with a fixed step, for X Y^T problems (lowrank::solve).
template <class T>
struct gd {
  using value_type = T;  ///< the scalar type, float or double
  /// eta: 1 / (2 sigma_1(A)) by default. Both factors move at once, so near a balanced solution the
  /// curvature along the joint step is about 2 sigma_1 (twice AGD's along X alone) and steps must stay
  /// below 1 / sigma_1; at exactly 1 / sigma_1 the iterates oscillate.
  fixed_step<T> step{T(0), T(0.5)};

  /// eta = 1 / (2 sigma_1(A)), with sigma_1 estimated at the start of each solve.
  gd() noexcept = default;
  /// A fixed eta in A's units (1 / A).
  explicit gd(T eta) noexcept : step{eta} {}
  /// "gd", for logs.
  static constexpr const char* name() noexcept { return "gd"; }

  /// Per-run state, kept by the driver.
  struct state {
    T step = T(0);  ///< eta in problem units
  };

  /// invalid_argument unless the step's parameters are in range (fixed_step::validate).
  status validate() const noexcept { return step.validate(); }

  /// Sets the state for a run: eta in problem units (estimating sigma_1 for a relative step);
  /// invalid_argument when that step is not positive and finite.
  template <class Problem, class Work>
  status begin(const Problem& problem, Work& w, state& s) const noexcept {
    s.step = step.in_problem_units(problem, w);
    return s.step > T(0) ? status::ok : status::invalid_argument;
  }

  /// Both gradients at (X_t, Y_t) into w.grad_x and w.grad_y; returns f(X_t, Y_t) and ||grad_X||^2.
  template <class Problem, class MX, class MY, class Work>
  evaluation evaluate(const Problem& problem, const MX& x, const MY& y, Work& w, state&) const noexcept {
    gram(y, w.gram_y, w.gemm);
    gram(x, w.gram_x, w.gemm);
    double loss = 0.0;
    if constexpr (contracts::is_detected<detail::gradients_op, Problem, MX, MY, Work>) {
      loss = problem.gradients(x, y, w.gram_x, w.gram_y, w.grad_x, w.grad_y, w);  // one pass over A
    } else {
      loss = problem.gradient_x(x, y, w.gram_x, w.gram_y, w.grad_x, w);
      problem.gradient_y(x, y, w.gram_x, w.grad_y, w);
    }
    return {loss, frobenius_inner(w.grad_x, w.grad_x)};
  }

  /// X_{t+1} and Y_{t+1}, both from the gradients evaluate() left at (X_t, Y_t).
  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem&, MX& x, MY& y, Work& w, state& s) const noexcept {
    axpy(-s.step, w.grad_x, x);
    axpy(-s.step, w.grad_y, y);
  }
};

}  // namespace lowrank::methods
