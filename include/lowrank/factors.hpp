// The unknowns a solver moves, bundled so that one driver serves asymmetric problems (X Y^T, two
// factors) and symmetric ones (X X^T, one factor). Each bundle hands itself to a method and a
// problem, saves and restores the best iterate in the workspace, and converts between the user's
// units and the problem's (factors / sqrt(s), data_scale.hpp).
#pragma once

#include <cmath>
#include <limits>

#include "contracts/method.hpp"
#include "data_scale.hpp"
#include "kernels/elementwise.hpp"
#include "matrix.hpp"

namespace lowrank {

namespace detail {
/// Whether every entry of v times `factor` is finite (a NaN or Inf entry, or one that would overflow).
/// Without an early exit, so that the dense loop vectorizes: the check runs several times per solve
/// over both factors. !(|x| <= max) holds exactly for NaN and +-Inf.
template <class V>
bool finite_when_scaled(V v, typename V::value_type factor) noexcept {
  using T = typename V::value_type;
  int outside = 0;
  visit_runs(v, [&outside, factor](const T* values, index count) noexcept {
    for (index i = 0; i < count; ++i)
      outside |= !(std::fabs(values[i] * factor) <= std::numeric_limits<T>::max());
  });
  return outside == 0;
}
}  // namespace detail

/// X (m x d) and Y (n x d) of A ~ X Y^T.
template <class VX, class VY>
struct factor_pair {
  using value_type = typename VX::value_type;  ///< the scalar type of both factors
  static constexpr index rank = VX::cols;      ///< d, the columns of X and of Y
  VX x;  ///< view of X (m x d), the user's storage
  VY y;  ///< view of Y (n x d), the user's storage

  /// method.evaluate(problem, x, y, w, s): the loss and ||grad_X f||^2 at (X, Y).
  template <class Method, class Problem, class Work, class State>
  evaluation evaluate(const Method& method, const Problem& problem, Work& w, State& s) const noexcept {
    return method.evaluate(problem, x, y, w, s);
  }
  /// method.advance(problem, x, y, w, s): one step, X_t, Y_t -> X_{t+1}, Y_{t+1} in place.
  template <class Method, class Problem, class Work, class State>
  void advance(const Method& method, const Problem& problem, Work& w, State& s) const noexcept {
    method.advance(problem, x, y, w, s);
  }
  /// The exact squared residual of the problem at (X, Y) (||X Y^T - A||_F^2 for problems::full), in
  /// problem units.
  template <class Problem, class Work>
  double residual_norm_squared(const Problem& problem, Work& w) const noexcept {
    return problem.residual_norm_squared(x, y, w);
  }
  /// ||Y||_F^2: ||grad_X f|| = ||R Y|| is at most ||R|| times this root.
  double partner_norm_squared() const noexcept { return frobenius_inner(y, y); }
  /// Copies X, Y into w.best_x, w.best_y (the best iterate so far).
  template <class Work>
  void save(Work& w) const noexcept {
    copy(x, w.best_x);
    copy(y, w.best_y);
  }
  /// Copies w.best_x, w.best_y back into X, Y.
  template <class Work>
  void restore(Work& w) const noexcept {
    copy(w.best_x, x);
    copy(w.best_y, y);
  }
  /// Sets X = 0 and Y = 0 (the answer for zero data).
  void set_zero() const noexcept {
    fill(x, value_type(0));
    fill(y, value_type(0));
  }
  /// Whether every entry of X and Y is finite and stays finite when multiplied by `factor` (checked
  /// before a change of units).
  bool finite_when_scaled(value_type factor) const noexcept {
    return detail::finite_when_scaled(x, factor) && detail::finite_when_scaled(y, factor);
  }
  /// Multiplies X and Y by `factor` (sqrt(s) or 1 / sqrt(s): between the user's and problem units).
  void scale_by(value_type factor) const noexcept {
    scale(factor, x);
    scale(factor, y);
  }
};

/// X (n x d) of a symmetric A ~ X X^T.
template <class VX>
struct single_factor {
  using value_type = typename VX::value_type;  ///< the scalar type of X
  static constexpr index rank = VX::cols;      ///< d, the columns of X
  VX x;  ///< view of X (n x d), the user's storage

  /// method.evaluate(problem, x, w, s): the loss and ||grad f||^2 at X (the method's symmetric form).
  template <class Method, class Problem, class Work, class State>
  evaluation evaluate(const Method& method, const Problem& problem, Work& w, State& s) const noexcept {
    return method.evaluate(problem, x, w, s);
  }
  /// method.advance(problem, x, w, s): one step, X_t -> X_{t+1} in place.
  template <class Method, class Problem, class Work, class State>
  void advance(const Method& method, const Problem& problem, Work& w, State& s) const noexcept {
    method.advance(problem, x, w, s);
  }
  /// The exact squared residual of the problem at X (||X X^T - A||_F^2 for problems::symmetric), in
  /// problem units.
  template <class Problem, class Work>
  double residual_norm_squared(const Problem& problem, Work& w) const noexcept {
    return problem.residual_norm_squared(x, w);
  }
  /// 4 ||X||_F^2: ||grad f|| = 2 ||R X|| is at most ||R|| times this root.
  double partner_norm_squared() const noexcept { return 4.0 * frobenius_inner(x, x); }
  /// Copies X into w.best_x (the best iterate so far).
  template <class Work>
  void save(Work& w) const noexcept { copy(x, w.best_x); }
  /// Copies w.best_x back into X.
  template <class Work>
  void restore(Work& w) const noexcept { copy(w.best_x, x); }
  /// Sets X = 0 (the answer for zero data).
  void set_zero() const noexcept { fill(x, value_type(0)); }
  /// Whether every entry of X is finite and stays finite when multiplied by `factor`.
  bool finite_when_scaled(value_type factor) const noexcept { return detail::finite_when_scaled(x, factor); }
  /// Multiplies X by `factor` (sqrt(s) or 1 / sqrt(s): between the user's and problem units).
  void scale_by(value_type factor) const noexcept { scale(factor, x); }
};

}  // namespace lowrank
