// The method contract: what the driver (solve.hpp) asks of a method, and what a method may ask of a
// problem. A method is a small const object (its parameters); what changes during a run is its
// `state`, which the driver keeps (so one method object serves any number of solves at once).
//
//   using value_type = T;
//   struct state { T step; ... };       per-run state; `step` is the step in problem units (the
//                                       initializations that depend on a step read it)
//   status validate() const;            the parameters in range; writes nothing
//   status begin(problem, w, state&) const;    once per run, before the start is set: what depends
//                                       only on the data (a step relative to sigma_1, ...)
// and for X Y^T problems (lowrank::solve), with X, Y in problem units:
//   evaluation evaluate(problem, x, y, w, state&) const;   f(X_t, Y_t) and ||grad_X f||^2, and
//                                       whatever advance needs, into w
//   void advance(problem, x, y, w, state&) const;           X_t, Y_t -> X_{t+1}, Y_{t+1}
// and for symmetric X X^T problems (lowrank::solve_symmetric), if the method has a symmetric form:
//   evaluation evaluate(problem, x, w, state&) const;       f(X_t) and ||grad f||^2
//   void advance(problem, x, w, state&) const;
// evaluate() comes before advance() so that the driver sees the loss at (X_t, Y_t) before the
// iterate moves, and can stop without paying for the step.
//
// A method that needs more of a problem than contracts/problem.hpp requires says so with a flag:
//   static constexpr bool needs_residual_times = true;    (problem.residual_times)
#pragma once

#include <type_traits>
#include <utility>

#include "detect.hpp"

namespace lowrank {

/// What a method's evaluate() returns: the loss at the current iterate, and the squared norm of the
/// gradient of f with respect to X there (the driver's first-order stationarity test).
struct evaluation {
  double loss = 0.0;
  double gradient_norm_squared = 0.0;
};

namespace contracts {

template <class M>
using method_state_op = typename M::state;
template <class M>
using method_value_type_op = typename M::value_type;

/// The method's scalar type is the problem's, one static_assert (`who` names the entry point).
template <class M, class P>
constexpr bool check_method_scalar() {
  constexpr bool has_value_type = is_detected<method_value_type_op, M>;
  static_assert(has_value_type, "lowrank: the method has no `value_type` (see contracts/method.hpp)");
  if constexpr (has_value_type) {
    constexpr bool same = std::is_same_v<typename M::value_type, typename P::value_type>;
    static_assert(same, "lowrank: the method's scalar type is not the problem's (methods::agd<float> on a "
                        "double matrix?): write the method with the problem's T");
    return same;
  }
  return false;
}
template <class M>
using method_validate_op = decltype(std::declval<const M&>().validate());
template <class M, class P, class W>
using method_begin_op = decltype(std::declval<const M&>().begin(
    std::declval<const P&>(), std::declval<W&>(), std::declval<typename M::state&>()));
template <class M, class P, class X, class Y, class W>
using method_evaluate_op = decltype(std::declval<const M&>().evaluate(
    std::declval<const P&>(), std::declval<const X&>(), std::declval<const Y&>(), std::declval<W&>(),
    std::declval<typename M::state&>()));
template <class M, class P, class X, class W>
using method_evaluate_symmetric_op = decltype(std::declval<const M&>().evaluate(
    std::declval<const P&>(), std::declval<const X&>(), std::declval<W&>(), std::declval<typename M::state&>()));

template <class M>
constexpr bool method_needs_residual_times() {
  return flag_or_false<flag_op_residual_times, M>();
}

/// The checks lowrank::solve makes of a method on an X Y^T problem, one static_assert each; true
/// when every one holds (the caller then instantiates the run, and not otherwise).
template <class M, class P, class X, class Y, class W>
constexpr bool check_method() {
  constexpr bool has_state = is_detected<method_state_op, M>;
  static_assert(has_state, "lowrank::solve: the method has no `state` type (see contracts/method.hpp)");
  if constexpr (has_state) {
    constexpr bool has_validate = is_detected<method_validate_op, M>;
    constexpr bool has_begin = is_detected<method_begin_op, M, P, W>;
    constexpr bool has_evaluate = is_detected<method_evaluate_op, M, P, X, Y, W>;
    static_assert(has_validate, "lowrank::solve: the method has no `status validate() const`");
    static_assert(has_begin, "lowrank::solve: the method has no `begin(problem, work, state)` for this problem");
    static_assert(has_evaluate,
                  "lowrank::solve: the method has no X Y^T form `evaluate(problem, x, y, work, state)` "
                  "(a symmetric-only method: use solve_symmetric)");
    return check_method_scalar<M, P>() && has_validate && has_begin && has_evaluate;
  }
  return false;
}

/// The same for a symmetric problem (lowrank::solve_symmetric).
template <class M, class P, class X, class W>
constexpr bool check_symmetric_method() {
  constexpr bool has_state = is_detected<method_state_op, M>;
  static_assert(has_state, "lowrank::solve_symmetric: the method has no `state` type (see contracts/method.hpp)");
  if constexpr (has_state) {
    constexpr bool has_validate = is_detected<method_validate_op, M>;
    constexpr bool has_begin = is_detected<method_begin_op, M, P, W>;
    constexpr bool has_evaluate = is_detected<method_evaluate_symmetric_op, M, P, X, W>;
    static_assert(has_validate, "lowrank::solve_symmetric: the method has no `status validate() const`");
    static_assert(has_begin, "lowrank::solve_symmetric: the method has no `begin(problem, work, state)`");
    static_assert(has_evaluate,
                  "lowrank::solve_symmetric: this method has no symmetric (X X^T) form; methods::scaled_gd "
                  "and methods::precgd have one");
    return check_method_scalar<M, P>() && has_validate && has_begin && has_evaluate;
  }
  return false;
}

}  // namespace contracts
}  // namespace lowrank
