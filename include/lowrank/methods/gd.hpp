// Plain (simultaneous) gradient descent, the method of Ward & Kolda's Section 6 experiments:
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t),   Y_{t+1} = Y_t - eta grad_Y f(X_t, Y_t).
#pragma once

#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"

namespace lowrank::methods {

template <class T>
struct gd {
  T step;  ///< the fixed step eta

  explicit gd(T eta) noexcept : step(eta) {}
  static constexpr const char* name() noexcept { return "gd"; }

  /// Both gradients at (X_t, Y_t) into w.grad_x and w.grad_y; returns f(X_t, Y_t).
  template <class Problem, class MX, class MY, class Work>
  double evaluate(const Problem& problem, const MX& x, const MY& y, Work& w) const noexcept {
    gram(y, w.gram_y, w.gemm);
    gram(x, w.gram_x, w.gemm);
    problem.gradient_x(x, y, w.gram_y, w.grad_x, w.gemm);
    problem.gradient_y(x, y, w.gram_x, w.grad_y, w.gemm);
    return problem.loss_from_gradient_x(x, w.grad_x, w.gram_x, w.gram_y);
  }

  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem&, MX& x, MY& y, Work& w) const noexcept {
    axpy(-step, w.grad_x, x);
    axpy(-step, w.grad_y, y);
  }
};

}  // namespace lowrank::methods
