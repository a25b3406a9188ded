// Feedback alignment (Lillicrap et al. 2016; named among the related work of Zhang, Fattahi & Zhang):
// alternating gradient descent in which the
// X step multiplies the residual by a fixed random matrix B (n x d) instead of by Y,
//   X_{t+1} = X_t - eta (X_t Y_t^T - A) B
//   Y_{t+1} = Y_t - eta (X_{t+1} Y_t^T - A)^T X_{t+1}      (the usual AGD step)
// For a network this is the backward pass through fixed random weights instead of the transposed
// forward ones. At a fixed point (X Y^T - A)^T X = 0, so X Y^T = P_X A (the projection of A onto
// col X), and (X Y^T - A) B = -(I - P_X) A B = 0, so col(A B) lies in col X. With d >= rank A,
// col(A B) is all of col A (B is generic), so X Y^T = A: the optimum. With d < rank A, col X =
// col(A B), a random d-dimensional subspace of col A rather than its top singular subspace, so the
// error stays above the truncated SVD's, at ||(I - P_{AB}) A||_F^2 (the tests check both).
//
// B is drawn once, at construction, from the built-in Gaussian generator (the same B for a seed on
// every target) and scaled by 1/sqrt(n), so that B^T B ~ I_d and eta means what it does for AGD. B
// is in problem units, like Y (in A's units it is B sqrt(s)), so the method behaves the same for A
// and any multiple of A. It
// is stored in the method: declare a large method object `static`, like the matrices (n d scalars).
// The problem must provide residual_times (problems::full, problems::masked).
//
// Each iteration makes one product more than AGD: the driver needs f(X_t, Y_t), which comes, as for
// AGD, from the true gradient (X Y^T - A) Y; the step uses (X Y^T - A) B.
#pragma once

#include <cmath>
#include <cstdint>

#include "../contracts/method.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/small.hpp"
#include "../matrix.hpp"
#include "../random/gaussian.hpp"
#include "agd.hpp"

namespace lowrank::methods {

/// Feedback alignment for an m x n problem with factors of rank D (B is N x D), step eta: AGD (its
/// step, state and Y step) with the X direction (X Y^T - A) B.
template <class T, index N, index D>
struct feedback_alignment : agd<T> {
  static constexpr bool needs_residual_times = true;  ///< the problem must offer residual_times
  Matrix<T, N, D> feedback;                           ///< B, fixed for the whole run

  /// B = Phi / sqrt(n), Phi n x d standard Gaussian from `seed`; eta in A's units (0: relative).
  explicit feedback_alignment(T eta = T(0), std::uint64_t seed = 1) noexcept : agd<T>(eta) {
    random::GaussianGenerator<T> gaussian(seed);
    random::fill_gaussian(gaussian, feedback);
    scale(static_cast<T>(1.0 / std::sqrt(static_cast<double>(N))), feedback);
  }
  /// "feedback_alignment", for logs.
  static constexpr const char* name() noexcept { return "feedback_alignment"; }

  /// (X_t Y_t^T - A) B into w.grad_x; returns f(X_t, Y_t) and the true ||grad_X||^2 (AGD's evaluate,
  /// whose gradient gives f, then the feedback direction in its place).
  template <class Problem, class MX, class MY, class Work>
  evaluation evaluate(const Problem& problem, const MX& x, const MY& y, Work& w,
                      typename agd<T>::state& s) const noexcept {
    static_assert(view_of<const MY>::rows == N && view_of<const MY>::cols == D,
                  "lowrank::methods::feedback_alignment: B must have the shape of Y (n x d)");
    const evaluation e = agd<T>::evaluate(problem, x, y, w, s);
    problem.residual_times(x, y, feedback, w.factor, w.grad_x, w);  // w.factor holds Y^T B
    return e;
  }
};

}  // namespace lowrank::methods
