// Plain (simultaneous) gradient descent, the method of Ward & Kolda's Section 6 experiments:
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t),   Y_{t+1} = Y_t - eta grad_Y f(X_t, Y_t).
#pragma once

#include <type_traits>

#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"

namespace lowrank::methods {

namespace detail {
/// Whether a problem computes both gradients at one (X, Y) in a single pass over its data
/// (problems::full does); others are asked for each gradient in turn.
template <class Problem, class = void>
struct reads_a_once_for_both_gradients : std::false_type {};
template <class Problem>
struct reads_a_once_for_both_gradients<Problem, std::void_t<decltype(Problem::reads_a_once_for_both_gradients)>>
    : std::bool_constant<Problem::reads_a_once_for_both_gradients> {};
}  // namespace detail

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
    if constexpr (detail::reads_a_once_for_both_gradients<Problem>::value) {
      problem.gradients(x, y, w.gram_x, w.gram_y, w.grad_x, w.grad_y, w.gemm);  // one pass over A
    } else {
      problem.gradient_x(x, y, w.gram_y, w.grad_x, w.gemm);
      problem.gradient_y(x, y, w.gram_x, w.grad_y, w.gemm);
    }
    return problem.loss_from_gradient_x(x, w.grad_x, w.gram_x, w.gram_y);
  }

  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem&, MX& x, MY& y, Work& w) const noexcept {
    axpy(-step, w.grad_x, x);
    axpy(-step, w.grad_y, y);
  }
};

}  // namespace lowrank::methods
