// The symmetric problem contract for A ~ X X^T (lowrank::solve_symmetric), in problem units as in
// contracts/problem.hpp:
//   using value_type = T;  static constexpr index rows = n, cols = n;
//   status validate();  double norm_squared() const;  const data_scale<T>& scale() const;
//   double gradient(x, gram_x, grad, w) const;     grad f(X) into grad, returns f(X); gram_x = X^T X
//   double residual_norm_squared(x, w) const;      2 f(X), computed exactly
// Optional: data_times(alpha, b, out, w) (init::nystrom's sample of A).
#pragma once

#include <utility>

#include "detect.hpp"
#include "problem.hpp"
#include "shapes.hpp"

namespace lowrank::contracts {

template <class P, class X, class W>
using symmetric_gradient_op = decltype(std::declval<const P&>().gradient(
    std::declval<const X&>(), std::declval<const gram_of<P, X>&>(),
    std::declval<Matrix<typename P::value_type, X::rows, X::cols>&>(), std::declval<W&>()));
template <class P, class X, class W>
using symmetric_residual_op =
    decltype(std::declval<const P&>().residual_norm_squared(std::declval<const X&>(), std::declval<W&>()));

/// The checks lowrank::solve_symmetric makes of a problem, one static_assert each.
template <class P, class X, class W>
constexpr bool check_symmetric_problem() {
  constexpr bool has_type = is_detected<problem_value_type_op, P>;
  static_assert(has_type, "lowrank::solve_symmetric: the problem has no value_type (see contracts/symmetric_problem.hpp)");
  if constexpr (has_type) {
    if constexpr (!workspace_accepted<P, W>()) return false;
    constexpr bool has_validate = is_detected<problem_validate_op, P>;
    constexpr bool has_norm = is_detected<problem_norm_op, P>;
    constexpr bool has_scale = is_detected<problem_scale_op, P>;
    constexpr bool has_gradient = is_detected<symmetric_gradient_op, P, X, W>;
    constexpr bool has_residual = is_detected<symmetric_residual_op, P, X, W>;
    static_assert(has_validate, "lowrank::solve_symmetric: the problem has no `status validate()`");
    static_assert(has_norm, "lowrank::solve_symmetric: the problem has no `double norm_squared() const`");
    static_assert(has_scale, "lowrank::solve_symmetric: the problem has no `scale()` (its data_scale)");
    static_assert(has_gradient, "lowrank::solve_symmetric: the problem has no symmetric `gradient(x, gram_x, grad, w)` "
                                "for this workspace (an X Y^T problem: use solve; problems::sensing needs a "
                                "SensingWorkspace)");
    static_assert(has_residual, "lowrank::solve_symmetric: the problem has no `residual_norm_squared(x, w)`");
    return has_validate && has_norm && has_scale && has_gradient && has_residual;
  }
  return false;
}

/// Shapes for a symmetric n x n problem, factor X (n x d), workspace W.
template <class P, class X, class W>
constexpr bool check_symmetric_shapes() {
  return rows_of_x_must_equal_rows_of_a<P::rows, X::rows>::value &&
         rank_must_be_between_1_and_min_m_n<X::cols, P::rows, P::cols>::value &&
         workspace_rows_must_equal_rows_of_a<P::rows, W::rows>::value &&
         workspace_rank_must_equal_d<X::cols, W::rank>::value &&
         workspace_scalar_must_be_the_problems<std::is_same_v<typename P::value_type, typename W::value_type> &&
                                               std::is_same_v<typename P::value_type, typename X::value_type>>::value;
}

}  // namespace lowrank::contracts
