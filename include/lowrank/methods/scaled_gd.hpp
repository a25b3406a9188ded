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

/// The preconditioned gradient iteration shared by ScaledGD and PrecGD. `Method` supplies `step`
/// and `damping(loss)`, the lambda of (G + lambda I)^-1 at an iterate whose loss is `loss`.
template <update_order Order>
struct preconditioned_iteration {
  /// grad_X at (X_t, Y_t) and f(X_t, Y_t) from it, and lambda_t from f. Nothing of the step itself:
  /// when f is the last loss a run needs (converged), the rest of the gradient work is not paid for.
  template <class Method, class Problem, class MX, class MY, class Work>
  static double evaluate(const Method& method, const Problem& problem, const MX& x, const MY& y,
                         Work& w) noexcept {
    gram(y, w.gram_y, w.gemm);
    if (Order == update_order::simultaneous || !w.gram_x_current) gram(x, w.gram_x, w.gemm);
    w.gram_x_current = Order == update_order::alternating;  // else the next evaluate recomputes it
    problem.gradient_x(x, y, w.gram_y, w.grad_x, w.gemm);
    const double loss = problem.loss_from_gradient_x(x, w.grad_x, w.gram_x, w.gram_y);
    w.damping = method.damping(loss);
    return loss;
  }
  /// X_{t+1} = X_t - eta grad_X (Y_t^T Y_t + lambda I)^-1, then Y_{t+1} from grad_Y at (X_t, Y_t)
  /// (simultaneous: computed before X moves) or at (X_{t+1}, Y_t) (alternating).
  template <class Method, class Problem, class MX, class MY, class Work>
  static void advance(const Method& method, const Problem& problem, MX& x, MY& y, Work& w) noexcept {
    if constexpr (Order == update_order::simultaneous) problem.gradient_y(x, y, w.gram_x, w.grad_y, w.gemm);
    precondition(w.gram_y, w.damping, w.grad_x, w.factor);
    axpy(-method.step, w.grad_x, x);
    if constexpr (Order == update_order::alternating) {
      gram(x, w.gram_x, w.gemm);  // X_{t+1}^T X_{t+1}: for this Y step and for the next loss
      problem.gradient_y(x, y, w.gram_x, w.grad_y, w.gemm);
    }
    precondition(w.gram_x, w.damping, w.grad_y, w.factor);  // lambda of (X_t, Y_t)
    axpy(-method.step, w.grad_y, y);
  }
  /// Symmetric problems: grad f(X_t) (X_t^T X_t + lambda I)^-1 into w.grad_x; returns f(X_t).
  template <class Method, class Problem, class MX, class Work>
  static double evaluate(const Method& method, const Problem& problem, const MX& x, Work& w) noexcept {
    gram(x, w.gram_x, w.gemm);
    const double loss = problem.gradient(x, w.gram_x, w.grad_x, w);
    precondition(w.gram_x, method.damping(loss), w.grad_x, w.factor);
    return loss;
  }

  template <class Method, class Problem, class MX, class Work>
  static void advance(const Method& method, const Problem&, MX& x, Work& w) noexcept {
    axpy(-method.step, w.grad_x, x);
  }
};

/// The evaluate/advance pairs of a preconditioned method (CRTP: `Method` derives from this and
/// supplies `step` and `damping(loss)`), for X Y^T problems and symmetric X X^T problems alike.
template <class Method, update_order Order>
struct preconditioned_method {
  /// grad_X at (X_t, Y_t) into w.grad_x and lambda_t into w.damping; returns f(X_t, Y_t).
  template <class Problem, class MX, class MY, class Work>
  double evaluate(const Problem& problem, const MX& x, const MY& y, Work& w) const noexcept {
    return preconditioned_iteration<Order>::evaluate(self(), problem, x, y, w);
  }
  /// X_{t+1} = X_t - eta grad_X (Y^T Y + lambda I)^-1, then Y_{t+1} likewise.
  template <class Problem, class MX, class MY, class Work>
  void advance(const Problem& problem, MX& x, MY& y, Work& w) const noexcept {
    preconditioned_iteration<Order>::advance(self(), problem, x, y, w);
  }
  /// Symmetric form: grad f(X_t) (X_t^T X_t + lambda I)^-1 into w.grad_x; returns f(X_t).
  template <class Problem, class MX, class Work>
  double evaluate(const Problem& problem, const MX& x, Work& w) const noexcept {
    return preconditioned_iteration<Order>::evaluate(self(), problem, x, w);
  }
  /// Symmetric form: X_{t+1} = X_t - eta grad f(X_t) (X_t^T X_t + lambda I)^-1.
  template <class Problem, class MX, class Work>
  void advance(const Problem& problem, MX& x, Work& w) const noexcept {
    preconditioned_iteration<Order>::advance(self(), problem, x, w);
  }

 private:
  const Method& self() const noexcept { return static_cast<const Method&>(*this); }
};

}  // namespace detail

/// ScaledGD with step eta (Tong, Ma & Chi suggest eta ~ 0.5; eta = 1 with the alternating order is
/// alternating least squares). For X Y^T problems (lowrank::solve) and, with the same object,
/// symmetric X X^T problems (lowrank::solve_symmetric), where the order does not matter.
template <class T, update_order Order = update_order::simultaneous>
struct scaled_gd : detail::preconditioned_method<scaled_gd<T, Order>, Order> {
  T step;  ///< the fixed step eta

  explicit scaled_gd(T eta) noexcept : step(eta) {}
  /// "scaled_gd" or "scaled_agd", for logs.
  static constexpr const char* name() noexcept {
    return Order == update_order::simultaneous ? "scaled_gd" : "scaled_agd";
  }

  /// No damping: the preconditioners are the plain Gram matrices.
  T damping(double /*loss*/) const noexcept { return T(0); }
};

/// Alternating ScaledGD: the Y step uses the updated X (methods::scaled_agd<float>(0.5f)).
template <class T>
using scaled_agd = scaled_gd<T, update_order::alternating>;

}  // namespace lowrank::methods
