// Alternating gradient descent (Ward & Kolda, Assumption 1):
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t)
//   Y_{t+1} = Y_t - eta grad_Y f(X_{t+1}, Y_t)      (Y uses the updated X)
//
// Every method splits an iteration in two so that the driver sees the loss at (X_t, Y_t) before the
// iterate changes: evaluate() computes what the step needs and returns f(X_t, Y_t); advance() moves.
#pragma once

#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"

namespace lowrank::methods {

template <class T>
struct agd {
  T step;  ///< the fixed step eta

  explicit agd(T eta) noexcept : step(eta) {}
  static constexpr const char* name() noexcept { return "agd"; }

  /// grad_X at (X_t, Y_t) into w.grad_x; returns f(X_t, Y_t).
  template <class Problem, class MX, class MY, class Work>
  double evaluate(const Problem& problem, const MX& x, const MY& y, Work& w) const noexcept {
    gram(y, w.gram_y, w.gemm);
    if (!w.gram_x_current) gram(x, w.gram_x, w.gemm);  // else kept from the previous Y step
    w.gram_x_current = true;
    problem.gradient_x(x, y, w.gram_y, w.grad_x, w.gemm);
    return problem.loss_from_gradient_x(x, w.grad_x, w.gram_x, w.gram_y);
  }

  /// X_{t+1}, then Y_{t+1} from the gradient at (X_{t+1}, Y_t).
  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem& problem, MX& x, MY& y, Work& w) const noexcept {
    axpy(-step, w.grad_x, x);
    gram(x, w.gram_x, w.gemm);  // X_{t+1}^T X_{t+1}: for this Y step and for the next loss
    problem.gradient_y(x, y, w.gram_x, w.grad_y, w.gemm);
    axpy(-step, w.grad_y, y);
  }
};

}  // namespace lowrank::methods
