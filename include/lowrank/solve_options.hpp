// What a solve is asked (solve_options) and what it answers (solve_report), and the per-iteration
// record a callback sees. Relative error throughout is the paper's epsilon, the squared ratio
// ||A - X Y^T||_F^2 / ||A||_F^2 (so 1e-6 means a residual of 0.1% of ||A||_F).
#pragma once

#include <cmath>
#include <limits>

#include "config.hpp"
#include "status.hpp"

namespace lowrank {

/// When to stop. The defaults suit the papers' problems and real data, in float and double.
template <class T>
struct solve_options {
  /// converged when ||A - X Y^T||^2 / ||A||^2 <= this, certified by the exact residual. A target below
  /// what T can certify (16 d eps^2) is raised to that floor, and the report says so.
  T target_relative_error = T(1e-6);
  index max_iterations = 10000;  ///< iteration cap (0: evaluate the start only)
  /// stationary (above the target: on data that is not exactly of rank d, the optimum) when
  /// ||grad_X f|| <= this ||A - X Y^T||_F ||Y||_F (the residual orthogonal to the factors) and the
  /// error has levelled off: its extrapolated limit within `stationary_gap` of it, or no longer
  /// falling (driver.hpp). 0 turns the test off.
  T stationary_tolerance = T(1e-4);
  /// The levelling-off test above: the estimated distance to the optimum at most this fraction of
  /// the current relative error (>= 0; 0 leaves only the no-longer-falling test).
  T stationary_gap = T(1e-4);
  /// Stall: stalled when the best relative error has not dropped by `stall_improvement` (a fraction)
  /// over `stall_window` iterations and the gradient is not small. A window of 0 turns the check off.
  index stall_window = 500;
  T stall_improvement = T(1e-3);  ///< the fraction the best error must drop by per window, in [0, 1)
  /// Diverged when the relative error exceeds this multiple of max(1, its starting value); >= 1.
  T divergence_factor = T(1e4);
  /// Compute the exact residual every iteration (for plots); otherwise only where the cheap Gram-form
  /// loss cannot resolve the error (near the target or a stationary point, or below ~1e3 epsilon).
  bool exact_error_every_iteration = false;

  /// invalid_argument unless every field is in range (targets and tolerances >= 0 and finite, the
  /// improvement in [0, 1), the divergence factor >= 1).
  status validate() const noexcept {
    const bool ok = target_relative_error >= T(0) && std::isfinite(target_relative_error) &&
                    stationary_tolerance >= T(0) && std::isfinite(stationary_tolerance) &&
                    stationary_gap >= T(0) && std::isfinite(stationary_gap) &&
                    stall_improvement >= T(0) && stall_improvement < T(1) && divergence_factor >= T(1) &&
                    std::isfinite(divergence_factor);
    return ok ? status::ok : status::invalid_argument;
  }
};

/// What a run did. X and Y hold the factors it leaves: the certified iterate when converged, else
/// the best finite iterate (or the start, or zeros for zero_input); unchanged when the arguments
/// were rejected (invalid_input, invalid_argument, out_of_range, unobservable).
template <class T>
struct solve_report {
  lowrank::status status = lowrank::status::ok;  ///< why the run ended, or why it did not start
  index iterations = 0;  ///< steps taken to reach the returned factors
  /// At the returned factors; NaN when nothing was computed (rejected arguments).
  T relative_error = std::numeric_limits<T>::quiet_NaN();
  bool relative_error_exact = false;  ///< computed from the residual itself, not the Gram form
  T initial_relative_error = std::numeric_limits<T>::quiet_NaN();  ///< at the initial factors
  /// The target the run used: the one asked for, or the precision's floor (target_clamped).
  T target_relative_error = T(0);
  bool target_clamped = false;  ///< the target asked for was below the floor and was raised to it
};

/// What the callback sees after each evaluation: the error at iteration t, before the t-th step.
template <class T>
struct iteration_info {
  index iteration;    ///< t, from 0 (the start)
  T relative_error;   ///< the relative error at iteration t
  bool exact;         ///< computed from the residual itself, not the Gram form
};

/// The default callback: nothing, compiled away (firmware stays silent).
struct no_callback {
  /// Ignores the iteration.
  template <class Info>
  void operator()(const Info&) const noexcept {}
};

/// A fixed-capacity record of a run's error curve, usable as the callback. When full it drops every
/// other entry and records half as often, so it always spans the whole run at even spacing.
template <class T, index Capacity>
class History {
  static_assert(Capacity >= 2, "lowrank::History: capacity must be at least 2");

 public:
  /// Records `info` if its iteration is a multiple of the current spacing (first 1, doubled each
  /// time the record fills).
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
  /// The number of entries recorded, at most Capacity.
  index size() const noexcept { return size_; }
  /// Entry i, 0 <= i < size() (not checked), in iteration order.
  const iteration_info<T>& operator[](index i) const noexcept { return entries_[i]; }
  /// Forgets every entry and resets the spacing to 1, for another run.
  void clear() noexcept {
    size_ = 0;
    stride_ = 1;
  }

 private:
  iteration_info<T> entries_[Capacity] = {};
  index size_ = 0;
  index stride_ = 1;
};

}  // namespace lowrank
