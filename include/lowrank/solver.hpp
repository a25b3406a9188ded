// Resumable solves: lowrank::solver runs the same solve as lowrank::solve (solve.hpp), at most k
// iterations per advance(k), so that firmware can spread a solve over control-loop ticks with a
// bounded cost per call. solve() is this object run to the end, so the two give bit-identical
// factors and reports whatever the k of each call.
//
// Units. While a run is under way X and Y hold the current iterate in problem units (the user's
// factors divided by sqrt(s), s the power of four of data_scale.hpp); the run converts them back
// to the user's units once, when it finishes. Converting in and out at every call would also be
// exact for normal numbers, but a factor entry that the conversion takes into the subnormal range
// would lose bits and part the two runs, and X, Y between calls are not an answer anyway (the run
// may still go back to its best iterate). Between calls the current iterate in user units is
// X * units().root.
//
// Cost of a call. The constructor checks the arguments, runs the method's begin() (a step set
// relative to sigma_1 estimates it by power iteration) and the initialization; advance(k) then
// costs at most k iterations (one evaluation and one step each; an evaluation near the target adds
// one exact residual), and the call that finishes adds one copy of the best iterate and the
// conversion to user units.
//
// Lifetime. The solver keeps references to the problem, the method, the factors and the workspace:
// all must outlive it, and none may be changed or used elsewhere until finished().
#pragma once

#include <limits>

#include "contracts/initialization.hpp"
#include "contracts/method.hpp"
#include "contracts/problem.hpp"
#include "contracts/shapes.hpp"
#include "contracts/symmetric_problem.hpp"
#include "data_scale.hpp"
#include "driver.hpp"
#include "factors.hpp"
#include "init.hpp"
#include "matrix.hpp"
#include "solve_options.hpp"
#include "status.hpp"

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

/// The initialization's start for a factor pair or a single factor (problem units).
template <class Init, class Problem, class VX, class VY, class Work, class T>
status start_factors(const Init& init, const Problem& problem, T step, const factor_pair<VX, VY>& f,
                     Work& w) noexcept {
  return init::start(init, problem, step, f.x, f.y, w);
}
template <class Init, class Problem, class VX, class Work, class T>
status start_factors(const Init& init, const Problem& problem, T step, const single_factor<VX>& f,
                     Work& w) noexcept {
  return init::start(init, problem, step, f.x, w);
}

/// One solve: the start (from the factors given or an initialization), then the driver's
/// iterations on demand, then the conversion back to the user's units. The engine of solve() and
/// of solver.
template <class Problem, class Method, class Factors, class Work>
class run {
  using T = typename Problem::value_type;

 public:
  /// From the factors given (user units). Nothing is written when the arguments are rejected
  /// (zero_input: zeros).
  run(Problem& problem, const Method& method, const Factors& factors, Work& w, const solve_options<T>& options) noexcept
      : loop_(problem, method, factors, w, options), factors_(factors) {
    status result = check_arguments(problem, method, options, w);
    if (result == status::zero_input) factors.set_zero();
    if (result == status::ok && !factors.finite_when_scaled(problem.scale().inverse_root))
      result = status::invalid_input;
    if (result == status::ok) result = method.begin(problem, w, loop_.state());
    if (result != status::ok) {
      loop_.reject(result);
      return;
    }
    factors.scale_by(problem.scale().inverse_root);
    units_ = problem.scale();
  }

  /// From the initialization `init` (which sets the factors for the method's step). Nothing is
  /// written when the arguments are rejected (zero_input: zeros).
  template <class Init>
  run(Problem& problem, const Method& method, const Init& init, const Factors& factors, Work& w,
      const solve_options<T>& options) noexcept
      : loop_(problem, method, factors, w, options), factors_(factors) {
    status result = init.validate();
    if (result == status::ok) result = check_arguments(problem, method, options, w);
    if (result == status::zero_input) factors.set_zero();
    if (result == status::ok) result = method.begin(problem, w, loop_.state());
    if (result == status::ok) {
      factors.save(w);  // the user's factors, given back if the start fails (the driver saves over them)
      result = start_factors(init, problem, loop_.state().step, factors, w);
      // A start that is not finite in problem units, or whose product with A is not (constants that
      // do not suit this data, such as a far too small sigma_1), is the initialization's fault.
      if (result == status::ok && (!factors.finite_when_scaled(T(1)) || !factors.finite_when_scaled(problem.scale().root)))
        result = status::invalid_argument;
      if (result != status::ok) factors.restore(w);
    }
    if (result != status::ok) {
      loop_.reject(result);
      return;
    }
    if constexpr (contracts::init_start_may_be_exact<Init>() && !contracts::residual_reads_gradient_state<Problem>())
      loop_.measure_start_exactly();
    units_ = problem.scale();
  }

  run(const run&) = delete;  // it holds views of the user's factors: one run per factorization
  run& operator=(const run&) = delete;

  /// Runs at most k more iterations (calling `on_iteration` after each evaluation); true when the
  /// run has finished, and then the factors hold its answer in the user's units.
  template <class Callback = no_callback>
  bool advance(index k, Callback&& on_iteration = Callback{}) noexcept {
    for (index i = 0; i < k && !loop_.finished(); ++i)
      if (loop_.iterate(on_iteration)) to_user_units();
    return loop_.finished();
  }

  /// Ends the run now with status max_iterations: the factors get the best iterate evaluated so
  /// far, in the user's units (a firmware deadline). Nothing happens to a finished run.
  void stop() noexcept {
    if (loop_.finished()) return;
    loop_.stop();
    to_user_units();
  }

  bool finished() const noexcept { return loop_.finished(); }
  /// The report, final once finished() (before that, only the target fields are set).
  const solve_report<T>& report() const noexcept { return loop_.report(); }
  /// The units of the run: until finished(), the current iterate in user units is X * units().root.
  const data_scale<T>& units() const noexcept { return units_; }

 private:
  void to_user_units() noexcept {
    if (!factors_.finite_when_scaled(units_.root)) {  // the kept iterate overflows in the user's units
      factors_.set_zero();
      loop_.answer_is_zero();
    }
    factors_.scale_by(units_.root);
    units_ = data_scale<T>{};
  }

  driver<Problem, Method, Factors, Work> loop_;
  Factors factors_;
  data_scale<T> units_;  // the problem's while the factors are in its units, then 1
};

/// Runs `r` to the end; its report.
template <class Run, class Callback>
auto run_to_end(Run& r, Callback& on_iteration) noexcept {
  while (!r.advance(std::numeric_limits<index>::max(), on_iteration)) {
  }
  return r.report();
}

}  // namespace detail

/// A resumable solve of A ~ X Y^T: make_solver(...) below, then advance(k) until it returns true.
template <class Problem, class Method, class MX, class MY, class Work>
class solver : public detail::run<Problem, Method, factor_pair<view_of<MX>, view_of<MY>>, Work> {
  using base = detail::run<Problem, Method, factor_pair<view_of<MX>, view_of<MY>>, Work>;
  using T = typename Problem::value_type;

 public:
  /// From the factors already in X and Y.
  solver(Problem& problem, const Method& method, MX& x, MY& y, Work& w, const solve_options<T>& options) noexcept
      : base(problem, method, {as_view(x), as_view(y)}, w, options) {}
  /// From an initialization (init.hpp).
  template <class Init>
  solver(Problem& problem, const Method& method, const Init& init, MX& x, MY& y, Work& w,
         const solve_options<T>& options) noexcept
      : base(problem, method, init, {as_view(x), as_view(y)}, w, options) {}
};

/// A resumable solve of a symmetric A ~ X X^T: make_symmetric_solver(...).
template <class Problem, class Method, class MX, class Work>
class symmetric_solver : public detail::run<Problem, Method, single_factor<view_of<MX>>, Work> {
  using base = detail::run<Problem, Method, single_factor<view_of<MX>>, Work>;
  using T = typename Problem::value_type;

 public:
  /// From the initialization already in x.
  symmetric_solver(Problem& problem, const Method& method, MX& x, Work& w, const solve_options<T>& options) noexcept
      : base(problem, method, single_factor<view_of<MX>>{as_view(x)}, w, options) {}
  /// From an initialization (init.hpp).
  template <class Init>
  symmetric_solver(Problem& problem, const Method& method, const Init& init, MX& x, Work& w,
                   const solve_options<T>& options) noexcept
      : base(problem, method, init, single_factor<view_of<MX>>{as_view(x)}, w, options) {}
};

namespace detail {
template <class Problem, class Method, class MX, class MY, class Work>
constexpr bool check_solver() {
  using VX = view_of<MX>;
  using VY = view_of<MY>;
  return contracts::check_shapes<Problem, VX, VY, Work>() &&
         contracts::check_problem<Problem, VX, VY, Work, Method>() &&
         contracts::check_method<Method, Problem, VX, VY, Work>();
}
template <class Problem, class Method, class MX, class Work>
constexpr bool check_symmetric_solver() {
  using VX = view_of<MX>;
  return contracts::check_symmetric_shapes<Problem, VX, Work>() &&
         contracts::check_symmetric_problem<Problem, VX, Work>() &&
         contracts::check_symmetric_method<Method, Problem, VX, Work>();
}
}  // namespace detail

/// A solver of `problem` by `method` from the factors already in X and Y (the arguments of solve();
/// the same compile-time and run-time checks, done here). The solver refers to all of them.
template <class Problem, class Method, class MX, class MY, class Work, class = view_of<MX>, class = view_of<MY>>
auto make_solver(Problem& problem, const Method& method, MX& x, MY& y, Work& w,
                 const solve_options<typename Problem::value_type>& options = {}) noexcept {
  if constexpr (detail::check_solver<Problem, Method, MX, MY, Work>()) {
    return solver<Problem, Method, MX, MY, Work>(problem, method, x, y, w, options);
  } else {
    return status::invalid_argument;  // not reached: a static_assert above said why
  }
}

/// A solver that first sets X and Y with `init` (init.hpp), as solve(problem, method, init, ...).
template <class Problem, class Method, class Init, class MX, class MY, class Work, class = view_of<MX>,
          class = view_of<MY>>
auto make_solver(Problem& problem, const Method& method, const Init& init, MX& x, MY& y, Work& w,
                 const solve_options<typename Problem::value_type>& options = {}) noexcept {
  if constexpr (detail::check_solver<Problem, Method, MX, MY, Work>() &&
                contracts::check_initialization<Init, Problem, Work>()) {
    return solver<Problem, Method, MX, MY, Work>(problem, method, init, x, y, w, options);
  } else {
    return status::invalid_argument;
  }
}

/// A solver of a symmetric problem (A ~ X X^T) from the factor already in X.
template <class Problem, class Method, class MX, class Work, class = view_of<MX>>
auto make_symmetric_solver(Problem& problem, const Method& method, MX& x, Work& w,
                           const solve_options<typename Problem::value_type>& options = {}) noexcept {
  if constexpr (detail::check_symmetric_solver<Problem, Method, MX, Work>()) {
    return symmetric_solver<Problem, Method, MX, Work>(problem, method, x, w, options);
  } else {
    return status::invalid_argument;
  }
}

/// A symmetric solver that first sets X with `init` (init::nystrom).
template <class Problem, class Method, class Init, class MX, class Work, class = view_of<MX>>
auto make_symmetric_solver(Problem& problem, const Method& method, const Init& init, MX& x, Work& w,
                           const solve_options<typename Problem::value_type>& options = {}) noexcept {
  if constexpr (detail::check_symmetric_solver<Problem, Method, MX, Work>() &&
                contracts::check_initialization<Init, Problem, Work>()) {
    return symmetric_solver<Problem, Method, MX, Work>(problem, method, init, x, w, options);
  } else {
    return status::invalid_argument;
  }
}

/// The method is kept by reference: a temporary would be gone before the first advance().
template <class Problem, class Method, class... Rest>
void make_solver(Problem&, const Method&&, Rest&&...) = delete;
template <class Problem, class Method, class... Rest>
void make_symmetric_solver(Problem&, const Method&&, Rest&&...) = delete;

}  // namespace lowrank
