// The one-call default: A ~ X Y^T of rank d with the method and start that reach the best rank-d
// approximation fastest on the papers' problems and on real data, and stop there by themselves:
// alternating ScaledGD (Tong, Ma & Chi) with step 1 from the Nystrom start. Step 1 makes each half
// step an exact least-squares fit of one factor to the other (alternating least squares), so the
// error never rises, and from the Nystrom start (A's column span sampled) it is a subspace
// iteration: the rate is (sigma_{d+1} / sigma_d)^2 per iteration, where smaller steps are slower. It is
// scale-free (no step to tune for the units of A) and stops at the target or at a stationary point
// (the optimum of data that is not exactly of rank d). Every part stays reachable through
// lowrank::solve.
#pragma once

#include "init.hpp"
#include "methods/scaled_gd.hpp"
#include "problems/full.hpp"
#include "solve.hpp"

namespace lowrank {

/// The default method: alternating ScaledGD with step 1.
template <class T>
constexpr methods::scaled_agd<T> default_method() noexcept {
  return methods::scaled_agd<T>(T(1));
}

/// Factorizes `problem` (any problem of problems/) into X Y^T with the default method and start.
template <class Problem, class MX, class MY, class Work, class Callback = no_callback,
          class = decltype(std::declval<Problem&>().validate())>
solve_report<typename Problem::value_type> factorize(Problem& problem, MX& x, MY& y, Work& w,
                                                     const solve_options<typename Problem::value_type>& options = {},
                                                     Callback&& on_iteration = Callback{}) noexcept {
  using T = typename Problem::value_type;
  return solve(problem, default_method<T>(), init::nystrom{}, x, y, w, options, on_iteration);
}

/// Factorizes the matrix A (m x n, a Matrix or a view) into X (m x d) Y^T (Y n x d); statuses as
/// for solve (succeeded(status) says whether X Y^T is the answer asked for).
template <class MA, class MX, class MY, class Work, class Callback = no_callback, class = view_of<const MA>>
solve_report<scalar_of<const MA>> factorize(const MA& a, MX& x, MY& y, Work& w,
                                            const solve_options<scalar_of<const MA>>& options = {},
                                            Callback&& on_iteration = Callback{}) noexcept {
  auto problem = problems::full(a);
  return factorize(problem, x, y, w, options, on_iteration);
}

}  // namespace lowrank
