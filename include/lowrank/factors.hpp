// The unknowns a solver moves, bundled so that one driver serves asymmetric problems (X Y^T, two
// factors) and symmetric ones (X X^T, one factor). Each bundle knows how to hand itself to a method
// and a problem, and how to save and restore the best iterate in the workspace.
#pragma once

#include "kernels/elementwise.hpp"
#include "matrix.hpp"

namespace lowrank {

/// X (m x d) and Y (n x d) of A ~ X Y^T. Methods see evaluate(problem, x, y, w) / advance(...).
template <class VX, class VY>
struct factor_pair {
  VX x;
  VY y;

  template <class Method, class Problem, class Work>
  double evaluate(const Method& method, const Problem& problem, Work& w) const noexcept {
    return method.evaluate(problem, x, y, w);
  }
  template <class Method, class Problem, class Work>
  void advance(const Method& method, const Problem& problem, Work& w) const noexcept {
    method.advance(problem, x, y, w);
  }
  template <class Problem>
  double residual_norm_squared(const Problem& problem) const noexcept {
    return problem.residual_norm_squared(x, y);
  }
  template <class Work>
  void save(Work& w) const noexcept {
    copy(x, w.best_x);
    copy(y, w.best_y);
  }
  template <class Work>
  void restore(Work& w) const noexcept {
    copy(w.best_x, x);
    copy(w.best_y, y);
  }
  void set_zero() const noexcept {
    fill(x, typename VX::value_type(0));
    fill(y, typename VY::value_type(0));
  }
};

/// X (n x d) of a symmetric A ~ X X^T. Methods see evaluate(problem, x, w) / advance(problem, x, w).
template <class VX>
struct single_factor {
  VX x;

  template <class Method, class Problem, class Work>
  double evaluate(const Method& method, const Problem& problem, Work& w) const noexcept {
    return method.evaluate(problem, x, w);
  }
  template <class Method, class Problem, class Work>
  void advance(const Method& method, const Problem& problem, Work& w) const noexcept {
    method.advance(problem, x, w);
  }
  template <class Problem>
  double residual_norm_squared(const Problem& problem) const noexcept {
    return problem.residual_norm_squared(x);
  }
  template <class Work>
  void save(Work& w) const noexcept { copy(x, w.best_x); }
  template <class Work>
  void restore(Work& w) const noexcept { copy(w.best_x, x); }
  void set_zero() const noexcept { fill(x, typename VX::value_type(0)); }
};

}  // namespace lowrank
