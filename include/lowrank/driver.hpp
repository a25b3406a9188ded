// The iteration loop, written once for every problem and method: it measures the relative error
// (certified by the exact residual where it decides anything), stops on target / stationary point /
// iteration cap / stall / divergence, and keeps the best finite iterate. One iteration per call of
// iterate(), so that lowrank::solve runs it to the end and lowrank::solver a few steps at a time,
// with the same arithmetic. The factors are in problem units here (data_scale.hpp).
#pragma once

#include <cmath>
#include <limits>

#include "contracts/method.hpp"
#include "solve_options.hpp"
#include "status.hpp"

namespace lowrank::detail {

/// Below this relative error the Gram-form loss is dominated by rounding: ~1e3 epsilon.
template <class T>
constexpr double gram_form_floor() { return 1e3 * static_cast<double>(std::numeric_limits<T>::epsilon()); }

/// The smallest relative error the exact residual certifies in T for rank d: 16 d eps^2.
template <class T, index D>
constexpr double certifiable_floor() {
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  return 16.0 * static_cast<double>(D) * eps * eps;
}

template <class Problem, class Method, class Factors, class Work>
class driver {
  using T = typename Problem::value_type;

 public:
  /// A run of `method` on `problem` from `factors` (all three must outlive it). Before the first iterate(), the
  /// caller validates the problem, sets the method's state() with begin() and the factors in
  /// problem units, or reject()s the run.
  driver(const Problem& problem, const Method& method, const Factors& factors, Work& w,
         const solve_options<T>& options) noexcept
      : problem_(problem), method_(method), factors_(factors), w_(w), options_(options) {
    const double requested = static_cast<double>(options.target_relative_error);
    target_ = requested < certifiable_floor<T, Factors::rank>() ? certifiable_floor<T, Factors::rank>() : requested;
    report_.target_relative_error = static_cast<T>(target_);
    report_.target_clamped = target_ != requested;
  }

  bool finished() const noexcept { return finished_; }

  /// Measures the start's error exactly before its gradient (for a start that may already meet the
  /// target: then the run ends converged without a gradient).
  void measure_start_exactly() noexcept { measure_start_exactly_ = true; }

  /// The method's per-run state, for begin().
  typename Method::state& state() noexcept { return state_; }

  /// Ends a run that did not start (`s` says why): no iteration, the factors left as they are;
  /// zero_input is exact with error 0.
  void reject(status s) noexcept {
    report_ = solve_report<T>{};
    report_.status = s;
    if (s == status::zero_input) {
      report_.relative_error = T(0);
      report_.initial_relative_error = T(0);
      report_.relative_error_exact = true;
    }
    finished_ = true;
  }

  /// Ends the run now as if the iteration cap had been reached: the factors get the best iterate
  /// evaluated so far (the start's error is NaN when no iteration was evaluated).
  /// Records that the answer had to be replaced by X = Y = 0 (the kept iterate cannot be expressed in
  /// the user's units): the status stays, the error is that of the zero factorization, exactly 1.
  void answer_is_zero() noexcept {
    report_.iterations = 0;
    report_.relative_error = T(1);
    report_.relative_error_exact = true;
  }

  void stop() noexcept {
    if (finished_) return;
    const bool evaluated = t_ > 0;  // iterate() at t = 0 either finishes the run or moves t on
    finish(status::max_iterations);
    if (!evaluated) report_.relative_error = std::numeric_limits<T>::quiet_NaN();
  }

  /// Evaluates iteration t and, unless that ends the run, steps to t + 1. Returns finished().
  template <class Callback>
  bool iterate(Callback& on_iteration) noexcept {
    if (finished_) return true;
    const double norm_squared = problem_.norm_squared();
    double error = 0.0;
    bool exact = false;
    if (t_ == 0 && measure_start_exactly_) {
      error = factors_.residual_norm_squared(problem_, w_) / norm_squared;
      exact = true;
    }
    bool candidate = false;
    if (!(exact && error <= target_)) {  // a start at the target needs no gradient: it is the answer
      const evaluation e = factors_.evaluate(method_, problem_, w_, state_);
      if (!exact) error = 2.0 * e.loss / norm_squared;
      const double partner = options_.stationary_tolerance > T(0) ? factors_.partner_norm_squared() : 0.0;
      candidate = nearly_stationary(e, error, partner);
      if (!exact && std::isfinite(error) &&
          (options_.exact_error_every_iteration || error <= 2.0 * target_ || error < gram_form_floor<T>() ||
           candidate)) {
        error = factors_.residual_norm_squared(problem_, w_) / norm_squared;
        exact = true;
      }
    }
    if (t_ == 0) {
      report_.initial_relative_error = static_cast<T>(error);
      divergence_bound_ = static_cast<double>(options_.divergence_factor) * (error > 1.0 ? error : 1.0);
    }
    on_iteration(iteration_info<T>{t_, static_cast<T>(error), exact});

    if (!std::isfinite(error) || error > divergence_bound_) return finish(status::diverged);
    if (error < best_) {
      best_ = error;
      best_exact_ = exact;
      best_iteration_ = t_;
      factors_.save(w_);
    }
    if (exact && error <= target_) return finish(status::converged);  // error <= target < best before
    const bool within_reach = optimum_within_reach(error);
    levelling_count_ = within_reach ? levelling_count_ + 1 : 0;
    const bool at_rounding_floor = !(error < previous_error_);
    if (candidate && exact && (levelling_count_ >= levelling_iterations || at_rounding_floor))
      return finish(status::stationary);
    previous_decrease_ = previous_error_ - error;
    previous_error_ = error;
    if (t_ == options_.max_iterations) return finish(status::max_iterations);
    if (options_.stall_window > 0 && t_ > 0 && t_ % options_.stall_window == 0) {
      if (best_ > window_start_ * (1.0 - static_cast<double>(options_.stall_improvement)))
        return finish(status::stalled);
      window_start_ = best_;
    }
    factors_.advance(method_, problem_, w_, state_);
    ++t_;
    return false;
  }

  /// The report of a finished run; the factors hold its answer (the best iterate unless converged).
  const solve_report<T>& report() const noexcept { return report_; }

 private:
  /// The stationarity test has two parts, both needed: the first-order condition below, and either
  /// the gap estimate (optimum_within_reach) on `levelling_iterations` consecutive iterations or an
  /// error that has stopped falling (the rounding floor). The first part alone would stop on the
  /// slow approach to the optimum; the second alone on a plateau near a saddle point (the factors'
  /// extra columns still growing from a tiny start), where the gradient is small but not that small.
  ///
  /// First-order test: ||grad_X f|| <= tol ||R|| ||Y|| (R the residual, ||R||^2 = error ||A||^2), the
  /// residual orthogonal to the factors to the tolerance. At the best rank-d approximation R Y = 0
  /// however large R is; near an exact fit R is rounding noise and the test does not pass.
  bool nearly_stationary(const evaluation& e, double error, double partner) const noexcept {
    const double tol = static_cast<double>(options_.stationary_tolerance);
    return partner > 0.0 && error > 0.0 &&
           e.gradient_norm_squared <= tol * tol * error * problem_.norm_squared() * partner;
  }

  /// How many consecutive iterations the gap estimate must pass: early on, before the rate settles,
  /// one ratio of decreases can mislead.
  static constexpr index levelling_iterations = 3;

  /// Second test: the error falls geometrically, e_t - e* ~ C rho^t, so the decrease d_t = e_{t-1} -
  /// e_t and the rate rho ~ d_t / d_{t-1} put the optimum e* about d_t rho / (1 - rho) below e_t
  /// (Aitken's estimate). True when that is at most stationary_gap e_t: the error is within that
  /// fraction of the best the iteration will reach. Sublinear progress (rho -> 1) never passes.
  bool optimum_within_reach(double error) const noexcept {
    const double decrease = previous_error_ - error;
    if (!(options_.stationary_gap > T(0)) || !(decrease > 0.0) || !(previous_decrease_ > 0.0)) return false;
    const double rate = decrease / previous_decrease_;
    if (!(rate < 1.0)) return false;
    return decrease * rate / (1.0 - rate) <= static_cast<double>(options_.stationary_gap) * error;
  }

  bool finish(status s) noexcept {
    report_.status = s;
    if (s != status::converged && std::isfinite(best_)) factors_.restore(w_);  // the best iterate
    report_.iterations = best_iteration_;
    report_.relative_error = static_cast<T>(best_);
    report_.relative_error_exact = best_exact_;
    if (!std::isfinite(best_)) {  // not even the start evaluated finite: it is what the factors hold
      report_.iterations = 0;
    }
    finished_ = true;
    return true;
  }

  const Problem& problem_;
  const Method& method_;
  Factors factors_;
  Work& w_;
  solve_options<T> options_;
  typename Method::state state_;
  solve_report<T> report_;
  double target_ = 0.0;
  double best_ = std::numeric_limits<double>::infinity();
  bool best_exact_ = false;
  index best_iteration_ = 0;
  double window_start_ = std::numeric_limits<double>::infinity();  // best error when the window opened
  double divergence_bound_ = 0.0;
  double previous_error_ = std::numeric_limits<double>::quiet_NaN();  // e_{t-1}, for the gap estimate
  double previous_decrease_ = std::numeric_limits<double>::quiet_NaN();  // e_{t-2} - e_{t-1}
  index levelling_count_ = 0;  // consecutive iterations at which the gap estimate passed
  index t_ = 0;
  bool finished_ = false;
  bool measure_start_exactly_ = false;
};

}  // namespace lowrank::detail
