// The driver: one loop for every problem and method. It measures the relative error accurately,
// stops on target / iteration cap / stall / divergence, keeps the best iterate, and reports each
// iteration to an optional callback. Written once; methods and problems know nothing of it.
//
// Relative error throughout is the paper's epsilon: ||A - X Y^T||_F^2 / ||A||_F^2 (squared norms).
#pragma once

#include <cmath>
#include <limits>

#include "factors.hpp"
#include "init.hpp"
#include "kernels/elementwise.hpp"
#include "matrix.hpp"
#include "status.hpp"
#include "workspace.hpp"

namespace lowrank {

/// When to stop. The defaults suit the papers' problems in float and double.
template <class T>
struct solve_options {
  T target_relative_error = T(1e-6);  ///< converged when ||A - X Y^T||^2 / ||A||^2 <= this
  index max_iterations = 10000;       ///< iteration cap (0: evaluate the start only)
  /// Stall: stalled when the best relative error has not dropped by `stall_improvement` (a
  /// fraction) over `stall_window` iterations. A window of 0 turns the check off.
  index stall_window = 500;
  T stall_improvement = T(1e-3);
  /// Diverged when the relative error exceeds this multiple of max(1, its starting value).
  T divergence_factor = T(1e4);
  /// Compute the exact residual every iteration (for plots); otherwise only where the cheap Gram-form
  /// loss cannot resolve the error (near the target, or below ~1e3 epsilon).
  bool exact_error_every_iteration = false;
};

/// What a run did. X and Y hold the factors it leaves (the best iterate unless it converged).
template <class T>
struct solve_report {
  lowrank::status status = lowrank::status::ok;
  index iterations = 0;          ///< steps taken to reach the returned factors
  T relative_error = T(0);       ///< at the returned factors
  bool relative_error_exact = false;  ///< computed from the residual itself, not the Gram form
  T initial_relative_error = T(0);    ///< at the initial factors
};

/// What the callback sees after each evaluation: the error at iteration t, before the t-th step.
template <class T>
struct iteration_info {
  index iteration;
  T relative_error;
  bool exact;
};

/// The default callback: nothing, compiled away (firmware stays silent).
struct no_callback {
  template <class Info>
  void operator()(const Info&) const noexcept {}
};

/// A fixed-capacity record of a run's error curve, usable as the callback. When full it drops every
/// other entry and records half as often, so it always spans the whole run at even spacing.
template <class T, index Capacity>
class History {
  static_assert(Capacity >= 2, "lowrank::History: capacity must be at least 2");

 public:
  void operator()(const iteration_info<T>& info) noexcept {
    if (info.iteration % stride_ != 0) return;
    if (size_ == Capacity) {
      for (index i = 0; i < Capacity / 2; ++i) entries_[i] = entries_[2 * i];
      size_ = Capacity / 2;
      stride_ *= 2;
      if (info.iteration % stride_ != 0) return;
    }
    entries_[size_++] = info;
  }
  index size() const noexcept { return size_; }
  const iteration_info<T>& operator[](index i) const noexcept { return entries_[i]; }
  void clear() noexcept { size_ = 0; stride_ = 1; }

 private:
  iteration_info<T> entries_[Capacity] = {};
  index size_ = 0;
  index stride_ = 1;
};

namespace detail {
/// Below this relative error the Gram-form loss is dominated by rounding: ~1e3 epsilon.
template <class T>
constexpr double gram_form_floor() { return 1e3 * static_cast<double>(std::numeric_limits<T>::epsilon()); }

/// The loop itself, for any bundle of factors (factors.hpp); `validation` is problem.validate()'s
/// answer (the caller's: A is scanned once per solve, initialization included).
template <class Problem, class Method, class Factors, class Work, class Callback>
solve_report<typename Problem::value_type> run(Problem& problem, const Method& method, const Factors& factors,
                                               Work& w, const solve_options<typename Problem::value_type>& options,
                                               Callback& on_iteration, status validation) noexcept {
  using T = typename Problem::value_type;
  solve_report<T> report;
  report.status = validation;
  if (report.status == status::zero_input) {  // A = 0: a zero factorization is exact
    factors.set_zero();
    report.relative_error_exact = true;
    return report;
  }
  if (report.status != status::ok) return report;
  if (!(method.step > T(0)) || !std::isfinite(method.step) || !(options.target_relative_error >= T(0))) {
    report.status = status::invalid_argument;
    return report;
  }

  const double norm_squared = problem.norm_squared();
  const double target = static_cast<double>(options.target_relative_error);
  double best = std::numeric_limits<double>::infinity();
  bool best_exact = false;
  index best_iteration = 0;
  double window_start = best;  // best error when the current stall window opened
  double divergence_bound = 0.0;

  for (index t = 0;; ++t) {
    double error = 2.0 * factors.evaluate(method, problem, w) / norm_squared;
    bool exact = false;
    if (t == 0) {
      report.initial_relative_error = static_cast<T>(error);
      divergence_bound = static_cast<double>(options.divergence_factor) * (error > 1.0 ? error : 1.0);
    }
    if (std::isfinite(error) &&
        (options.exact_error_every_iteration || error <= 2.0 * target || error < gram_form_floor<T>())) {
      error = factors.residual_norm_squared(problem) / norm_squared;
      exact = true;
    }
    on_iteration(iteration_info<T>{t, static_cast<T>(error), exact});

    if (!std::isfinite(error) || error > divergence_bound) {
      report.status = status::diverged;
      break;
    }
    if (error < best) {
      best = error;
      best_exact = exact;
      best_iteration = t;
      factors.save(w);
    }
    if (exact && error <= target) {  // error <= target < best before, so best is this iterate
      report.status = status::converged;
      break;
    }
    if (t == options.max_iterations) {
      report.status = status::max_iterations;
      break;
    }
    if (options.stall_window > 0 && t > 0 && t % options.stall_window == 0) {
      if (best > window_start * (1.0 - static_cast<double>(options.stall_improvement))) {
        report.status = status::stalled;
        break;
      }
      window_start = best;
    }
    factors.advance(method, problem, w);
  }

  if (report.status != status::converged && std::isfinite(best)) factors.restore(w);  // the best iterate
  report.iterations = best_iteration;
  report.relative_error = static_cast<T>(best);
  report.relative_error_exact = best_exact;
  return report;
}
}  // namespace detail

namespace detail {
/// solve() for X and Y as views, once `validation` = problem.validate() is known.
template <class Problem, class Method, class MX, class MY, class Work, class Callback>
solve_report<typename Problem::value_type> run_pair(Problem& problem, const Method& method, MX& x_in, MY& y_in,
                                                    Work& w, const solve_options<typename Problem::value_type>& options,
                                                    Callback& on_iteration, status validation) noexcept {
  using VX = view_of<MX>;
  using VY = view_of<MY>;
  static_assert(VX::rows == Problem::rows && VY::rows == Problem::cols,
                "lowrank::solve: X must be m x d and Y n x d for an m x n problem");
  static_assert(VX::cols == VY::cols, "lowrank::solve: X and Y must have the same number of columns d");
  require_factor_rank<Problem::rows, Problem::cols, VX::cols>();
  w.gram_x_current = false;  // X may have changed since the workspace last saw it
  const factor_pair<VX, VY> factors{as_view(x_in), as_view(y_in)};
  return run(problem, method, factors, w, options, on_iteration, validation);
}
}  // namespace detail

/// Runs `method` on the asymmetric `problem` (A ~ X Y^T) from the factors already in X and Y (see
/// init.hpp to set them, or the overload below that takes an initialization).
// The factor arguments must be matrices or views (the view_of defaults): that keeps solve(problem,
// method, X, Y, work, options) and solve(problem, method, init, X, Y, work) apart.
template <class Problem, class Method, class MX, class MY, class Work, class Callback = no_callback,
          class = view_of<MX>, class = view_of<MY>>
solve_report<typename Problem::value_type> solve(Problem& problem, const Method& method, MX& x, MY& y, Work& w,
                                                 const solve_options<typename Problem::value_type>& options = {},
                                                 Callback&& on_iteration = Callback{}) noexcept {
  return detail::run_pair(problem, method, x, y, w, options, on_iteration, problem.validate());
}

/// Runs `method` on a symmetric `problem` (A ~ X X^T) from the factor already in X.
template <class Problem, class Method, class MX, class Work, class Callback = no_callback>
solve_report<typename Problem::value_type> solve_symmetric(Problem& problem, const Method& method, MX& x_in, Work& w,
                                                           const solve_options<typename Problem::value_type>& options = {},
                                                           Callback&& on_iteration = Callback{}) noexcept {
  using VX = view_of<MX>;
  static_assert(VX::rows == Problem::rows, "lowrank::solve_symmetric: X must be n x d for an n x n problem");
  require_factor_rank<Problem::rows, Problem::rows, VX::cols>();
  const single_factor<VX> factors{as_view(x_in)};
  return detail::run(problem, method, factors, w, options, on_iteration, problem.validate());
}

/// Initializes X and Y with `init` (see init.hpp) for the method's step, then runs `solve`.
template <class Problem, class Method, class Init, class MX, class MY, class Work, class Callback = no_callback,
          class = view_of<MX>, class = view_of<MY>>
solve_report<typename Problem::value_type> solve(Problem& problem, const Method& method, const Init& init, MX& x,
                                                 MY& y, Work& w,
                                                 const solve_options<typename Problem::value_type>& options = {},
                                                 Callback&& on_iteration = Callback{}) noexcept {
  solve_report<typename Problem::value_type> report;
  const status validation = problem.validate();  // before touching A: NaN and zero get their status first
  report.status = validation == status::ok ? initialize(init, problem, method.step, x, y, w) : validation;
  if (report.status != status::ok && report.status != status::zero_input) return report;
  return detail::run_pair(problem, method, x, y, w, options, on_iteration, validation);
}

}  // namespace lowrank
