// The problem contract for A ~ X Y^T (lowrank::solve): what every method and the driver ask of a
// problem. All of it is in problem units: the data divided by the power of four s of scale()
// (data_scale.hpp), the factors by sqrt(s), so that every quantity is of order one. X, Y are views,
// the Gram matrices d x d, `w` the problem's workspace (workspace.hpp).
//
// Required:
//   using value_type = T;  static constexpr index rows = m, cols = n;
//   status validate();                   checks the data (and the problem's options); records the
//                                        scale and the norm; ok or zero_input to proceed
//   double norm_squared() const;         the denominator of the relative error (||A / s||_F^2)
//   const data_scale<T>& scale() const;
//   double gradient_x(x, y, gram_x, gram_y, grad, w) const;   grad_X f(X, Y) into grad; returns f(X, Y)
//   void gradient_y(x, y, gram_x, grad, w) const;             grad_Y f(X, Y) into grad
//   double residual_norm_squared(x, y, w) const;              2 f(X, Y), computed exactly (certifies)
// gram_x = X^T X and gram_y = Y^T Y are current when passed. A problem whose gradient needs a state
// of the iterate (robust PCA's support) forms it in gradient_x and keeps it in its workspace; the
// gradient_y and residual that follow at the next step of the method use it.
//
// Optional, each needed by some method or initialization (they say which):
//   void data_times(alpha, b, out, w) const;             out = alpha (A / s) B        (init::proposed,
//   void data_transpose_times(alpha, b, out, w) const;   out = alpha (A / s)^T B       colspan, nystrom;
//                                                        a step relative to sigma_1)
//   void residual_times(x, y, b, scratch, out, w) const; out = (X Y^T - A / s) B      (feedback alignment)
//   double gradients(x, y, gram_x, gram_y, grad_x, grad_y, w) const;  both at once (GD's fast path)
//   status prepare(w);                   after validate(), what needs the workspace (robust PCA's
//                                        T_alpha(A) and norm); ok or zero_input to proceed
//   template <class W> static constexpr bool accepts_workspace();   a problem that needs a workspace
//                                        with more scratch static_asserts it here, before the run
//                                        is instantiated (problems::robust, problems::sensing)
//   static constexpr bool residual_reads_gradient_state;  true where residual_norm_squared uses the
//                                        state gradient_x forms (robust PCA's support): then the
//                                        residual is never asked for before a gradient
#pragma once

#include <type_traits>
#include <utility>

#include "../data_scale.hpp"
#include "../matrix.hpp"
#include "../status.hpp"
#include "detect.hpp"
#include "method.hpp"

namespace lowrank::contracts {

template <class P>
using problem_value_type_op = typename P::value_type;
template <class P>
using problem_validate_op = decltype(std::declval<P&>().validate());
template <class P>
using problem_norm_op = decltype(std::declval<const P&>().norm_squared());
template <class P>
using problem_scale_op = decltype(std::declval<const P&>().scale());
template <class P>
using residual_state_op = std::bool_constant<P::residual_reads_gradient_state>;

/// Whether the problem's residual needs the state its gradient forms (default: no).
template <class P>
constexpr bool residual_reads_gradient_state() {
  return flag_or_false<residual_state_op, P>();
}

/// The Gram and gradient types a method passes with factors X (m x d), Y (n x d).
template <class P, class X>
using gram_of = Matrix<typename P::value_type, X::cols, X::cols>;

template <class P, class X, class Y, class W>
using gradient_x_op = decltype(std::declval<const P&>().gradient_x(
    std::declval<const X&>(), std::declval<const Y&>(), std::declval<const gram_of<P, X>&>(),
    std::declval<const gram_of<P, X>&>(), std::declval<Matrix<typename P::value_type, X::rows, X::cols>&>(),
    std::declval<W&>()));
template <class P, class X, class Y, class W>
using gradient_y_op = decltype(std::declval<const P&>().gradient_y(
    std::declval<const X&>(), std::declval<const Y&>(), std::declval<const gram_of<P, X>&>(),
    std::declval<Matrix<typename P::value_type, Y::rows, Y::cols>&>(), std::declval<W&>()));
template <class P, class X, class Y, class W>
using residual_op = decltype(std::declval<const P&>().residual_norm_squared(
    std::declval<const X&>(), std::declval<const Y&>(), std::declval<W&>()));
template <class P, class X, class Y, class W>
using residual_times_op = decltype(std::declval<const P&>().residual_times(
    std::declval<const X&>(), std::declval<const Y&>(), std::declval<const Y&>(), std::declval<gram_of<P, X>&>(),
    std::declval<Matrix<typename P::value_type, X::rows, X::cols>&>(), std::declval<W&>()));
template <class P, class B, class W>
using data_times_op = decltype(std::declval<const P&>().data_times(
    std::declval<typename P::value_type>(), std::declval<const B&>(), std::declval<B&>(), std::declval<W&>()));

template <class P, class W>
using accepts_workspace_op = decltype(P::template accepts_workspace<W>());

/// P's own verdict on the workspace type (it static_asserts with its message), true if it has none.
template <class P, class W>
constexpr bool workspace_accepted() {
  if constexpr (is_detected<accepts_workspace_op, P, W>) return P::template accepts_workspace<W>();
  return true;
}

template <class P, class W>
using prepare_op = decltype(std::declval<P&>().prepare(std::declval<W&>()));

/// problem.prepare(w) if the problem has one (after a successful validate()), else ok.
template <class P, class W>
status prepare(P& problem, W& w) noexcept {
  if constexpr (is_detected<prepare_op, P, W>) {
    return problem.prepare(w);
  } else {
    return status::ok;
  }
}

/// Whether P offers data_times and data_transpose_times (tested with an m x 1 column for both: the
/// shapes are checked where they are used).
template <class P, class W>
constexpr bool has_data_products =
    is_detected<data_times_op, P, Matrix<typename P::value_type, P::cols, 1>, W>;

/// The checks lowrank::solve makes of a problem with factors X, Y, workspace W and method M, one
/// static_assert per missing capability; true when all hold.
template <class P, class X, class Y, class W, class M>
constexpr bool check_problem() {
  constexpr bool has_type = is_detected<problem_value_type_op, P>;
  static_assert(has_type, "lowrank::solve: the problem has no value_type (see contracts/problem.hpp)");
  if constexpr (has_type) {
    if constexpr (!workspace_accepted<P, W>()) return false;
    constexpr bool has_validate = is_detected<problem_validate_op, P>;
    constexpr bool has_norm = is_detected<problem_norm_op, P>;
    constexpr bool has_scale = is_detected<problem_scale_op, P>;
    constexpr bool has_gx = is_detected<gradient_x_op, P, X, Y, W>;
    constexpr bool has_gy = is_detected<gradient_y_op, P, X, Y, W>;
    constexpr bool has_residual = is_detected<residual_op, P, X, Y, W>;
    constexpr bool residual_times_ok =
        !method_needs_residual_times<M>() || is_detected<residual_times_op, P, X, Y, W>;
    static_assert(has_validate, "lowrank::solve: the problem has no `status validate()`");
    static_assert(has_norm, "lowrank::solve: the problem has no `double norm_squared() const`");
    static_assert(has_scale, "lowrank::solve: the problem has no `scale()` (its data_scale)");
    static_assert(has_gx, "lowrank::solve: the problem has no X Y^T `gradient_x(x, y, gram_x, gram_y, grad, w)` "
                          "(a symmetric problem: use solve_symmetric)");
    static_assert(has_gy, "lowrank::solve: the problem has no `gradient_y(x, y, gram_x, grad, w)`");
    static_assert(has_residual, "lowrank::solve: the problem has no `residual_norm_squared(x, y, w)`");
    static_assert(residual_times_ok,
                  "lowrank::solve: this method (feedback alignment) needs problem.residual_times(x, y, b, scratch, "
                  "out, w), the residual times a matrix, which this problem lacks (problems::full and "
                  "problems::masked have it)");
    return has_validate && has_norm && has_scale && has_gx && has_gy && has_residual && residual_times_ok;
  }
  return false;
}

}  // namespace lowrank::contracts
