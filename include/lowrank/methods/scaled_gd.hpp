// Scaled gradient descent (Tong, Ma & Chi): each factor's gradient is right-multiplied by the
// inverse Gram matrix of the other factor,
//   X_{t+1} = X_t - eta grad_X f(X_t, Y_t) (Y_t^T Y_t)^-1
//   Y_{t+1} = Y_t - eta grad_Y f(X_t, Y_t) (X_t^T X_t)^-1        (simultaneous, the paper's form)
//   Y_{t+1} = Y_t - eta grad_Y f(X_{t+1}, Y_t) (X_{t+1}^T X_{t+1})^-1   (alternating: Y uses the updated X)
// and, for a symmetric problem f(X) = phi(X X^T),  X_{t+1} = X_t - eta grad f(X_t) (X_t^T X_t)^-1.
//
// The preconditioner makes the iteration invariant to X -> X S, Y -> Y S^-T, so its rate does not
// depend on the condition number of A when d = r (eta ~ 0.5). It is not invariant to the size of the
// start: from small factors the first step is of size 1 / |X_0|, so start it near the solution
// (init::nystrom; Tong, Ma & Chi use a spectral initialization), or use the alternating order or
// PrecGD from a small random start. Undamped, it is only as good as the Gram matrices are
// invertible: with d > r they become singular as the iterates converge. A Gram matrix that is
// singular to rounding is regularized at its rounding level (damped_cholesky_factor) instead of
// producing NaN; PrecGD (precgd.hpp) damps it on purpose.
//
// Only d x d work is added to gradient descent: a Cholesky factor of each Gram matrix and a
// triangular solve per row of the gradient.
#pragma once

#include <cmath>

#include "../contracts/method.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"

namespace lowrank::methods {

/// How the two factor updates of an iteration are ordered.
enum class update_order {
  simultaneous,  ///< both gradients at (X_t, Y_t)
  alternating,   ///< the Y gradient at (X_{t+1}, Y_t), as in Ward & Kolda's AGD
};

namespace detail {

/// step := step (G + lambda I)^-1 for every row of `step` (G = a Gram matrix), through a Cholesky
/// factor in `factor`; lambda is raised if G + lambda I is numerically singular.
template <class MG, class MStep, class MF>
void precondition(const MG& gram, scalar_of<const MG> lambda, MStep& step, MF& factor) noexcept {
  damped_cholesky_factor(gram, lambda, factor);
  cholesky_solve_rows(factor, step);
}

/// The state of a preconditioned run.
template <class T>
struct preconditioned_state {
  T step = T(0);                ///< eta (dimensionless: the same in every unit)
  T damping = T(0);             ///< lambda_t, from evaluate to advance
  bool gram_x_current = false;  ///< w.gram_x holds X^T X of the current X (alternating order)
};

/// The evaluate/advance pairs shared by ScaledGD and PrecGD (CRTP: `Method` derives from this and
/// supplies `step` and `damping(loss, problem)`, the lambda of (G + lambda I)^-1 at an iterate whose
/// loss is `loss`), for X Y^T problems and symmetric X X^T problems alike (contracts/method.hpp).
template <class Method, class T, update_order Order>
struct preconditioned_method {
  using value_type = T;
  using state = preconditioned_state<T>;

  template <class Problem, class Work>
  status begin(const Problem&, Work&, state& s) const noexcept {
    s = state{self().step, T(0), false};
    return status::ok;
  }

  /// grad_X at (X_t, Y_t) into w.grad_x and lambda_t into the state; returns f(X_t, Y_t) and
  /// ||grad_X||^2. Nothing of the step itself: when f is the last loss a run needs, the rest of the
  /// gradient work is not paid for.
  template <class Problem, class MX, class MY, class Work>
  evaluation evaluate(const Problem& problem, const MX& x, const MY& y, Work& w, state& s) const noexcept {
    gram(y, w.gram_y, w.gemm);
    if (Order == update_order::simultaneous || !s.gram_x_current) gram(x, w.gram_x, w.gemm);
    s.gram_x_current = Order == update_order::alternating;  // else the next evaluate recomputes it
    const double loss = problem.gradient_x(x, y, w.gram_x, w.gram_y, w.grad_x, w);
    s.damping = self().damping(loss, problem);
    return {loss, frobenius_inner(w.grad_x, w.grad_x)};
  }

  /// X_{t+1} = X_t - eta grad_X (Y_t^T Y_t + lambda I)^-1, then Y_{t+1} from grad_Y at (X_t, Y_t)
  /// (simultaneous: computed before X moves) or at (X_{t+1}, Y_t) (alternating).
  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem& problem, MX& x, MY& y, Work& w, state& s) const noexcept {
    if constexpr (Order == update_order::simultaneous) problem.gradient_y(x, y, w.gram_x, w.grad_y, w);
    precondition(w.gram_y, s.damping, w.grad_x, w.factor);
    axpy(-s.step, w.grad_x, x);
    if constexpr (Order == update_order::alternating) {
      gram(x, w.gram_x, w.gemm);  // X_{t+1}^T X_{t+1}: for this Y step and for the next loss
      problem.gradient_y(x, y, w.gram_x, w.grad_y, w);
    }
    precondition(w.gram_x, s.damping, w.grad_y, w.factor);  // lambda of (X_t, Y_t)
    axpy(-s.step, w.grad_y, y);
  }

  /// Symmetric problems: grad f(X_t) (X_t^T X_t + lambda I)^-1 into w.grad_x; returns f(X_t) and
  /// ||grad f(X_t)||^2.
  template <class Problem, class MX, class Work>
  evaluation evaluate(const Problem& problem, const MX& x, Work& w, state&) const noexcept {
    gram(x, w.gram_x, w.gemm);
    const double loss = problem.gradient(x, w.gram_x, w.grad_x, w);
    const double gradient_norm_squared = frobenius_inner(w.grad_x, w.grad_x);
    precondition(w.gram_x, self().damping(loss, problem), w.grad_x, w.factor);
    return {loss, gradient_norm_squared};
  }

  /// Symmetric form: X_{t+1} = X_t - eta grad f(X_t) (X_t^T X_t + lambda I)^-1.
  template <class Problem, class MX, class Work>
  void advance(const Problem&, MX& x, Work& w, state& s) const noexcept {
    axpy(-s.step, w.grad_x, x);
  }

 private:
  const Method& self() const noexcept { return static_cast<const Method&>(*this); }
};

}  // namespace detail

/// ScaledGD with step eta (Tong, Ma & Chi suggest eta ~ 0.5; eta = 1 with the alternating order is
/// alternating least squares). For X Y^T problems (lowrank::solve) and, with the same object,
/// symmetric X X^T problems (lowrank::solve_symmetric), where the order does not matter.
template <class T, update_order Order = update_order::simultaneous>
struct scaled_gd : detail::preconditioned_method<scaled_gd<T, Order>, T, Order> {
  T step;  ///< the fixed step eta (dimensionless)
  /// Simultaneous steps need a start whose product is of the size of A (contracts::check_start).
  static constexpr bool needs_product_of_data_size = Order == update_order::simultaneous;

  /// Step eta (dimensionless, 0 < eta; checked by validate()).
  explicit scaled_gd(T eta = T(0.5)) noexcept : step(eta) {}
  /// "scaled_gd" or "scaled_agd", for logs.
  static constexpr const char* name() noexcept {
    return Order == update_order::simultaneous ? "scaled_gd" : "scaled_agd";
  }

  /// invalid_argument unless 0 < eta and eta is finite.
  status validate() const noexcept { return step > T(0) && std::isfinite(step) ? status::ok : status::invalid_argument; }

  /// No damping: the preconditioners are the plain Gram matrices.
  template <class Problem>
  T damping(double /*loss*/, const Problem&) const noexcept { return T(0); }
};

/// Alternating ScaledGD: the Y step uses the updated X (methods::scaled_agd<float>(0.5f)).
template <class T>
using scaled_agd = scaled_gd<T, update_order::alternating>;

}  // namespace lowrank::methods
