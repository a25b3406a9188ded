// The one-call entry points: solve (A ~ X Y^T), solve_symmetric (A ~ X X^T), each from the factors
// given or from an initialization. Each checks the combination at compile time (contracts/), then
// runs the resumable solver (solver.hpp) to the end: it checks the arguments before writing
// anything, converts the factors to problem units, runs the driver (driver.hpp) and converts them
// back. So solve() and a solver advanced k iterations at a time give bit-identical results.
#pragma once

#include "contracts/initialization.hpp"
#include "contracts/method.hpp"
#include "contracts/problem.hpp"
#include "contracts/shapes.hpp"
#include "contracts/symmetric_problem.hpp"
#include "driver.hpp"
#include "factors.hpp"
#include "init.hpp"
#include "matrix.hpp"
#include "solve_options.hpp"
#include "solver.hpp"
#include "status.hpp"
#include "workspace.hpp"

namespace lowrank {

/// Runs `method` on the asymmetric `problem` (A ~ X Y^T) from the factors already in X and Y (see
/// init.hpp to set them, or the overload below that takes an initialization). Statuses: see
/// status.hpp and solve_report; X and Y are unchanged when the arguments are rejected.
// The factor arguments must be matrices or views (the view_of defaults): that keeps solve(problem,
// method, X, Y, work, options) and solve(problem, method, init, X, Y, work) apart.
template <class Problem, class Method, class MX, class MY, class Work, class Callback = no_callback,
          class = view_of<MX>, class = view_of<MY>>
solve_report<typename Problem::value_type> solve(Problem& problem, const Method& method, MX& x, MY& y, Work& w,
                                                 const solve_options<typename Problem::value_type>& options = {},
                                                 Callback&& on_iteration = Callback{}) noexcept {
  if constexpr (detail::check_solver<Problem, Method, MX, MY, Work>()) {
    solver<Problem, Method, MX, MY, Work> running(problem, method, x, y, w, options);
    return detail::run_to_end(running, on_iteration);
  } else {
    return {};
  }
}

/// Sets X and Y with `init` (see init.hpp) for the method's step, then runs `method` as solve does.
/// Nothing is written when the arguments are rejected, and X and Y are given back if the start fails,
/// so they are read: give them values (a static or value-initialized Matrix, `Matrix<...> x{};`).
template <class Problem, class Method, class Init, class MX, class MY, class Work, class Callback = no_callback,
          class = view_of<MX>, class = view_of<MY>>
solve_report<typename Problem::value_type> solve(Problem& problem, const Method& method, const Init& init, MX& x,
                                                 MY& y, Work& w,
                                                 const solve_options<typename Problem::value_type>& options = {},
                                                 Callback&& on_iteration = Callback{}) noexcept {
  if constexpr (detail::check_solver<Problem, Method, MX, MY, Work>() &&
                contracts::check_initialization<Init, Problem, Work>() &&
                contracts::check_start<Method, Init>()) {
    solver<Problem, Method, MX, MY, Work> running(problem, method, init, x, y, w, options);
    return detail::run_to_end(running, on_iteration);
  } else {
    return {};
  }
}

/// Runs `method` on a symmetric `problem` (A ~ X X^T) from the factor already in X.
template <class Problem, class Method, class MX, class Work, class Callback = no_callback, class = view_of<MX>>
solve_report<typename Problem::value_type> solve_symmetric(Problem& problem, const Method& method, MX& x, Work& w,
                                                           const solve_options<typename Problem::value_type>& options = {},
                                                           Callback&& on_iteration = Callback{}) noexcept {
  if constexpr (detail::check_symmetric_solver<Problem, Method, MX, Work>()) {
    symmetric_solver<Problem, Method, MX, Work> running(problem, method, x, w, options);
    return detail::run_to_end(running, on_iteration);
  } else {
    return {};
  }
}

/// Sets X with `init` (init::nystrom), then runs `method` as solve_symmetric does.
template <class Problem, class Method, class Init, class MX, class Work, class Callback = no_callback,
          class = view_of<MX>>
solve_report<typename Problem::value_type> solve_symmetric(Problem& problem, const Method& method, const Init& init,
                                                           MX& x, Work& w,
                                                           const solve_options<typename Problem::value_type>& options = {},
                                                           Callback&& on_iteration = Callback{}) noexcept {
  if constexpr (detail::check_symmetric_solver<Problem, Method, MX, Work>() &&
                contracts::check_initialization<Init, Problem, Work>()) {
    symmetric_solver<Problem, Method, MX, Work> running(problem, method, init, x, w, options);
    return detail::run_to_end(running, on_iteration);
  } else {
    return {};
  }
}

}  // namespace lowrank
