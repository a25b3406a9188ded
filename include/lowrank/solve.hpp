// The entry points: solve (A ~ X Y^T), solve_symmetric (A ~ X X^T), each from the factors given or
// from an initialization, and solver, the same run a few iterations per call. Each checks the
// combination at compile time (contracts/), then the arguments at run time before writing anything,
// converts the factors to problem units, runs the driver (driver.hpp) and converts them back.
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
#include "status.hpp"
#include "workspace.hpp"

namespace lowrank {

namespace detail {

/// The run-time checks common to every entry point, in order, none of which writes the factors:
/// the options, the method, the problem's data (validate, then prepare). zero_input passes (the
/// caller sets zeros).
template <class Problem, class Method, class Work>
status check_arguments(Problem& problem, const Method& method,
                       const solve_options<typename Problem::value_type>& options, Work& w) noexcept {
  status result = options.validate();
  if (result == status::ok) result = method.validate();
  if (result == status::ok) result = problem.validate();
  if (result == status::ok) result = contracts::prepare(problem, w);
  return result;
}

/// A report for a run that did not start (`s` says why); zero_input is exact with error 0.
template <class T>
solve_report<T> not_started(status s) noexcept {
  solve_report<T> report;
  report.status = s;
  if (s == status::zero_input) {
    report.relative_error = T(0);
    report.initial_relative_error = T(0);
    report.relative_error_exact = true;
  }
  return report;
}

/// Runs the driver to the end from factors in problem units, then converts them to the user's.
template <class Problem, class Method, class Factors, class Work, class Callback>
solve_report<typename Problem::value_type> run(const Problem& problem, const Method& method, const Factors& factors,
                                               Work& w, const solve_options<typename Problem::value_type>& options,
                                               const typename Method::state& state, Callback& on_iteration) noexcept {
  driver<Problem, Method, Factors, Work> loop(problem, method, factors, w, options, state);
  while (!loop.iterate(on_iteration)) {
  }
  factors.scale_by(problem.scale().root);
  return loop.report();
}

/// solve() from the factors given, once the compile-time checks passed.
template <class Problem, class Method, class Factors, class Work, class Callback>
solve_report<typename Problem::value_type> solve_from(Problem& problem, const Method& method, const Factors& factors,
                                                      Work& w, const solve_options<typename Problem::value_type>& options,
                                                      Callback& on_iteration) noexcept {
  using T = typename Problem::value_type;
  status result = check_arguments(problem, method, options, w);
  if (result == status::zero_input) factors.set_zero();
  if (result != status::ok) return not_started<T>(result);
  if (!factors.finite_when_scaled(problem.scale().inverse_root)) return not_started<T>(status::invalid_input);
  typename Method::state state;
  result = method.begin(problem, w, state);
  if (result != status::ok) return not_started<T>(result);
  factors.scale_by(problem.scale().inverse_root);
  return run(problem, method, factors, w, options, state, on_iteration);
}

/// solve() from an initialization, once the compile-time checks passed.
template <class Problem, class Method, class Init, class Factors, class Start, class Work, class Callback>
solve_report<typename Problem::value_type> solve_from_start(Problem& problem, const Method& method, const Init& init,
                                                            const Factors& factors, const Start& start, Work& w,
                                                            const solve_options<typename Problem::value_type>& options,
                                                            Callback& on_iteration) noexcept {
  using T = typename Problem::value_type;
  status result = init.validate();
  if (result == status::ok) result = check_arguments(problem, method, options, w);
  if (result == status::zero_input) factors.set_zero();
  if (result != status::ok) return not_started<T>(result);
  typename Method::state state;
  result = method.begin(problem, w, state);
  if (result == status::ok) result = start(state.step);  // writes the factors in problem units
  if (result == status::ok && !factors.finite_when_scaled(T(1))) {
    factors.set_zero();  // the start overflowed: its constants do not suit this data
    result = status::invalid_argument;
  }
  if (result != status::ok) return not_started<T>(result);
  return run(problem, method, factors, w, options, state, on_iteration);
}

}  // namespace detail

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
  using VX = view_of<MX>;
  using VY = view_of<MY>;
  if constexpr (contracts::check_shapes<Problem, VX, VY, Work>() &&
                contracts::check_problem<Problem, VX, VY, Work, Method>() &&
                contracts::check_method<Method, Problem, VX, VY, Work>()) {
    const factor_pair<VX, VY> factors{as_view(x), as_view(y)};
    return detail::solve_from(problem, method, factors, w, options, on_iteration);
  } else {
    return {};
  }
}

/// Sets X and Y with `init` (see init.hpp) for the method's step, then runs `method` as solve does.
/// Nothing is written when the arguments are rejected.
template <class Problem, class Method, class Init, class MX, class MY, class Work, class Callback = no_callback,
          class = view_of<MX>, class = view_of<MY>>
solve_report<typename Problem::value_type> solve(Problem& problem, const Method& method, const Init& init, MX& x,
                                                 MY& y, Work& w,
                                                 const solve_options<typename Problem::value_type>& options = {},
                                                 Callback&& on_iteration = Callback{}) noexcept {
  using VX = view_of<MX>;
  using VY = view_of<MY>;
  using T = typename Problem::value_type;
  if constexpr (contracts::check_shapes<Problem, VX, VY, Work>() &&
                contracts::check_problem<Problem, VX, VY, Work, Method>() &&
                contracts::check_method<Method, Problem, VX, VY, Work>() &&
                contracts::check_initialization<Init, Problem, Work>() &&
                contracts::check_start<Method, Init>()) {
    const factor_pair<VX, VY> factors{as_view(x), as_view(y)};
    const auto start = [&](T step) noexcept { return init::start(init, problem, step, factors.x, factors.y, w); };
    return detail::solve_from_start(problem, method, init, factors, start, w, options, on_iteration);
  } else {
    return {};
  }
}

/// Runs `method` on a symmetric `problem` (A ~ X X^T) from the factor already in X.
template <class Problem, class Method, class MX, class Work, class Callback = no_callback, class = view_of<MX>>
solve_report<typename Problem::value_type> solve_symmetric(Problem& problem, const Method& method, MX& x, Work& w,
                                                           const solve_options<typename Problem::value_type>& options = {},
                                                           Callback&& on_iteration = Callback{}) noexcept {
  using VX = view_of<MX>;
  if constexpr (contracts::check_symmetric_shapes<Problem, VX, Work>() &&
                contracts::check_symmetric_problem<Problem, VX, Work>() &&
                contracts::check_symmetric_method<Method, Problem, VX, Work>()) {
    const single_factor<VX> factors{as_view(x)};
    return detail::solve_from(problem, method, factors, w, options, on_iteration);
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
  using VX = view_of<MX>;
  using T = typename Problem::value_type;
  if constexpr (contracts::check_symmetric_shapes<Problem, VX, Work>() &&
                contracts::check_symmetric_problem<Problem, VX, Work>() &&
                contracts::check_symmetric_method<Method, Problem, VX, Work>() &&
                contracts::check_initialization<Init, Problem, Work>()) {
    const single_factor<VX> factors{as_view(x)};
    const auto start = [&](T step) noexcept { return init::start(init, problem, step, factors.x, w); };
    return detail::solve_from_start(problem, method, init, factors, start, w, options, on_iteration);
  } else {
    return {};
  }
}

}  // namespace lowrank
