// Frame tracking: frames A_1, A_2, ... of one shape (a sensor array's successive records), each
// factorized A_t ~ X_t Y_t^T from the previous frame's factors (a warm start) in at most K
// iterations, or fewer when the frame's target is met. When the data move slowly the previous
// factors are nearly right, and a few iterations of a subspace iteration (the default method,
// alternating ScaledGD with step 1: each half step an exact least-squares fit) make up the change:
// the angle to the frame's best subspace shrinks by (sigma_{d+1} / sigma_d)^2 per iteration.
//
// Missing samples are NaN (or any non-finite value): the frame is then a completion problem
// (problems::masked). With a sparse fraction > 0 it is robust PCA (problems::robust), which sets
// gross errors (spikes) aside instead of fitting them.
//
// Forgetting. With a forgetting factor beta in (0, 1) the tracker fits not A_t but the memory
// B_t = (1 - beta) A_t + beta B_{t-1}, entry by entry: frame t - s weighs (1 - beta) beta^s, and
// minimizing ||B_t - X Y^T||^2 is minimizing sum_s (1 - beta) beta^s ||A_{t-s} - X Y^T||^2 (up to
// a constant), the exponentially forgotten squared error over all past frames. It trades lag for
// noise: the fit averages about 1 / (1 - beta) frames. An entry missing from a frame keeps its
// memory (it counts as observed once seen); an entry's first sample initializes it. beta = 0 (the
// default) fits each frame alone, and missing entries are missing.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "../bit_mask.hpp"
#include "../factorize.hpp"
#include "../init.hpp"
#include "../kernels/small.hpp"
#include "../matrix.hpp"
#include "../methods/scaled_gd.hpp"
#include "../problems/full.hpp"
#include "../problems/masked.hpp"
#include "../problems/robust.hpp"
#include "../solve.hpp"
#include "../workspace.hpp"

namespace lowrank::streaming {

/// How frames are tracked.
template <class T>
struct track_options {
  /// The stopping rules of each frame; max_iterations is K, the cap per frame (the first frame,
  /// started cold, has `first_frame_iterations`).
  solve_options<T> per_frame = default_per_frame();
  index first_frame_iterations = 1000;  ///< the iteration cap of the first frame, started cold
  /// beta in [0, 1): the weight of the past (see the header comment). 0: each frame alone.
  T forgetting = T(0);
  /// robust PCA's alpha (problems::robust_options): 0 fits every sample; in (0, 1/2) sets up to
  /// that fraction of each row and column aside as gross errors, with `outlier_floor` its tau.
  T sparse_fraction = T(0);
  T outlier_floor = T(0);  ///< robust PCA's tau, in the data's units; >= 0 and finite
  /// Refit Y to each arriving frame, given X, before the iterations (a least-squares fit per column on
  /// its observed entries), so that only X carries over. Right when a frame's columns are new
  /// samples (a time window) and only the column space (the sensors' gains) persists: the previous
  /// Y then describes other samples, and its large residual would, in robust PCA, be taken for
  /// outliers. Off: both factors carry over (frames that are the same samples measured again).
  bool refit_columns = false;

  /// A few iterations per frame, no stall window (K is far below it).
  static solve_options<T> default_per_frame() noexcept {
    solve_options<T> o;
    o.max_iterations = 5;
    o.stall_window = 0;
    return o;
  }

  /// invalid_argument unless every field is in range.
  status validate() const noexcept {
    const bool ok = forgetting >= T(0) && forgetting < T(1) && sparse_fraction >= T(0) && sparse_fraction < T(0.5) &&
                    outlier_floor >= T(0) && std::isfinite(outlier_floor);
    return ok ? per_frame.validate() : status::invalid_argument;
  }
};

/// The method a tracker uses when none is given: alternating ScaledGD with step 1 (scale-free)
/// for the default, any other method with its default parameters (a step relative to sigma_1).
template <class Method>
Method default_tracking_method() noexcept {
  using T = typename Method::value_type;
  if constexpr (std::is_same_v<Method, methods::scaled_agd<T>>) {
    return Method(T(1));
  } else {
    return Method();
  }
}

/// Tracks the rank-D factorization of a stream of M x N frames. It owns the memory of the data,
/// the factors and the workspace: large, declare it `static`.
template <class T, index M, index N, index D, class Method = methods::scaled_agd<T>>
class frame_tracker {
 public:
  /// A tracker with zero factors, with these options and this method.
  explicit frame_tracker(const track_options<T>& options = {}, const Method& method = default_tracking_method<Method>()) noexcept
      : options_(options), method_(method) {
    fill(x_, T(0));
    fill(y_, T(0));
  }
  frame_tracker(const frame_tracker&) = delete;  // the problems built per frame point into it
  frame_tracker& operator=(const frame_tracker&) = delete;

  /// Takes frame A_t (NaN: a missing sample) and updates the factors: from the previous ones when
  /// there are any (at most K iterations), else from the Nystrom start. The report is the frame's
  /// solve; on rejected input (invalid_argument, unobservable, out_of_range) the factors stay.
  template <class MA>
  solve_report<T> track(const MA& frame) noexcept {
    const status checked = options_.validate();
    if (checked != status::ok) {
      solve_report<T> rejected;
      rejected.status = checked;
      return rejected;
    }
    remember(as_view(frame));
    ++frames_;
    solve_report<T> report;
    if (options_.sparse_fraction > T(0)) {
      const problems::robust_options<T> robust{options_.sparse_fraction, T(0.25), options_.outlier_floor};
      auto problem = problems::robust(memory_, observed_, robust);
      report = run(problem);
    } else if (observed_.count() == M * N) {
      auto problem = problems::full(memory_);
      report = run(problem);
    } else {
      auto problem = problems::masked(memory_, observed_);
      report = run(problem);
    }
    const status s = report.status;
    if (s == status::zero_input || s == status::diverged) warm_ = false;  // zeros or a bad turn: restart
    else if (s == status::converged || s == status::stationary || s == status::max_iterations ||
             s == status::stalled)
      warm_ = true;
    return report;
  }

  /// Forgets everything: the next frame starts cold.
  void reset() noexcept {
    warm_ = false;
    frames_ = 0;
    seen_.clear();
  }

  const Matrix<T, M, D>& x() const noexcept { return x_; }  ///< X_t (user units)
  const Matrix<T, N, D>& y() const noexcept { return y_; }  ///< Y_t
  /// What the last frame fitted: B_t (A_t itself without forgetting; 0 where missing).
  const Matrix<T, M, N>& memory() const noexcept { return memory_; }
  /// The entries of memory() that hold data.
  const BitMask<M, N>& observed() const noexcept { return observed_; }
  /// Frames taken since construction or reset().
  index frames() const noexcept { return frames_; }
  /// The workspace (its gemm buffers serve products with the factors between frames).
  RobustWorkspace<T, M, N, D>& workspace() noexcept { return w_; }

 private:
  /// B_t from A_t: see the header comment.
  template <class VA>
  void remember(VA frame) noexcept {
    const T beta = options_.forgetting;
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j) {
        const T v = frame(i, j);
        if (std::isfinite(v)) {
          memory_(i, j) = beta > T(0) && seen_.test(i, j) ? (T(1) - beta) * v + beta * memory_(i, j) : v;
          seen_.set(i, j);
          observed_.set(i, j);
        } else {
          const bool kept = beta > T(0) && seen_.test(i, j);
          if (!kept) memory_(i, j) = T(0);
          observed_.set(i, j, kept);
        }
      }
  }

  /// y_j = argmin ||B_Omega,j - X_Omega y_j|| for each column j on its observed rows Omega; with
  /// robust PCA (sparse_fraction > 0) the fit is then repeated without the entry of largest
  /// leave-one-out residual r_i / (1 - h_i) (h_i its leverage: the error of predicting entry i
  /// from the others, which a spike on a high-leverage row cannot hide by bending the fit towards
  /// itself) while that exceeds outlier_floor, for at most the sparse fraction of Omega. A column
  /// whose rows leave X rank-deficient keeps its y_j.
  void refit_columns() noexcept {
    for (index j = 0; j < N; ++j) {
      bool excluded[M] = {};
      index observed = 0;
      for (index i = 0; i < M; ++i) observed += observed_.test(i, j) ? 1 : 0;
      const index budget = static_cast<index>(options_.sparse_fraction * static_cast<T>(observed));
      Matrix<T, D, D> l;
      for (index removed = 0;; ++removed) {
        if (!fit_column(j, excluded, l)) break;
        if (removed == budget) break;
        index worst = M;
        T largest = options_.outlier_floor;
        for (index i = 0; i < M; ++i) {
          if (!observed_.test(i, j) || excluded[i]) continue;
          T fitted = T(0);
          Matrix<T, 1, D> z;
          for (index a = 0; a < D; ++a) {
            fitted += x_(i, a) * y_(j, a);
            z(0, a) = x_(i, a);
          }
          cholesky_solve_rows(l, z);  // G^-1 x_i: the leverage h_i = x_i^T G^-1 x_i
          T leverage = T(0);
          for (index a = 0; a < D; ++a) leverage += x_(i, a) * z(0, a);
          const T kept = T(1) - leverage;
          if (!(kept > std::numeric_limits<T>::epsilon())) continue;  // the fit needs this entry
          const T residual = std::fabs(memory_(i, j) - fitted) / kept;
          if (residual > largest) {
            largest = residual;
            worst = i;
          }
        }
        if (worst == M) break;
        excluded[worst] = true;
      }
    }
  }

  /// y_j from the normal equations on the observed, not excluded rows, their Cholesky factor in
  /// `g`; false (y_j kept) when they are singular or the fit is not finite.
  bool fit_column(index j, const bool* excluded, Matrix<T, D, D>& g) noexcept {
    Matrix<T, 1, D> rhs;
    fill(g, T(0));
    fill(rhs, T(0));
    for (index i = 0; i < M; ++i) {
      if (!observed_.test(i, j) || excluded[i]) continue;
      for (index a = 0; a < D; ++a) {
        rhs(0, a) += x_(i, a) * memory_(i, j);
        for (index b = 0; b <= a; ++b) g(a, b) += x_(i, a) * x_(i, b);
      }
    }
    if (cholesky_factor(g) != status::ok) return false;
    cholesky_solve_rows(g, rhs);
    for (index a = 0; a < D; ++a)
      if (!std::isfinite(rhs(0, a))) return false;
    for (index a = 0; a < D; ++a) y_(j, a) = rhs(0, a);
    return true;
  }

  /// The frame's solve: warm from the factors, or cold from an initialization.
  template <class Problem>
  solve_report<T> run(Problem& problem) noexcept {
    if (warm_ && options_.refit_columns) refit_columns();
    if (warm_) return solve(problem, method_, x_, y_, w_, options_.per_frame);
    solve_options<T> first = options_.per_frame;
    first.max_iterations = options_.first_frame_iterations;
    return solve(problem, method_, init::nystrom{}, x_, y_, w_, first);
  }

  track_options<T> options_;
  Method method_;
  Matrix<T, M, N> memory_;
  BitMask<M, N> observed_;
  BitMask<M, N> seen_;
  Matrix<T, M, D> x_;
  Matrix<T, N, D> y_;
  RobustWorkspace<T, M, N, D> w_;
  bool warm_ = false;
  index frames_ = 0;
};

}  // namespace lowrank::streaming
