// The symmetric problem: approximate a symmetric (positive semidefinite, for an exact fit) n x n
// matrix A by X X^T, X n x d,
//   f(X) = 1/2 ||X X^T - A||_F^2,    grad f(X) = 2 (X X^T - A) X = 2 (X (X^T X) - A X).
// The right-hand (Gram) form never builds the n x n residual: one big product A X plus d x d work.
// Solved by lowrank::solve_symmetric with a method's symmetric form (methods::precgd, scaled_gd).
//
// Interface of a symmetric problem (also problems::gaussian_sensing): validate(), norm_squared(),
// gradient(x, gram_x, grad, w) writing grad f(X) and returning f(X), residual_norm_squared(x) = 2 f(X)
// computed exactly; the driver's relative error is 2 f / norm_squared().
#pragma once

#include <cmath>
#include <limits>

#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../kernels/residual_norm.hpp"
#include "../matrix.hpp"
#include "../status.hpp"
#include "../workspace.hpp"

namespace lowrank {

/// Scratch for factorizing a symmetric N x N problem into X X^T, X N x D (solve_symmetric).
/// sizeof(SymmetricWorkspace<T, N, D>) is the solver's extra RAM.
template <class T, index N, index D>
struct SymmetricWorkspace {
  static_assert((require_factor_rank<N, N, D>(), true));
  using value_type = T;

  Matrix<T, N, D> grad_x;  ///< gradient (or preconditioned step) for X
  Matrix<T, D, D> gram_x;  ///< X^T X
  Matrix<T, D, D> factor;  ///< a Cholesky factor, for the preconditioned methods
  Matrix<T, N, D> best_x;  ///< the best iterate so far, restored when a run diverges or stalls
  /// Packing buffers for the products of an iteration: (N x N)(N x D) and the Gram (D x N)(N x D).
  GemmWorkspace<T, N, D, N> gemm;
};

namespace problems {

template <class T, index N>
class symmetric_matrix {
 public:
  using value_type = T;
  static constexpr index rows = N;
  static constexpr index cols = N;

  explicit symmetric_matrix(View<const T, N, N> a) noexcept : a_(a) {}

  /// Scans A once: invalid_input if any entry is NaN or Inf or if A is not symmetric (to N eps
  /// ||A||_F, the rounding of a computed B B^T), zero_input if A == 0, else ok. Also records ||A||_F^2.
  status validate() noexcept {
    bool finite = true;
    norm_squared_ = frobenius_norm_squared(a_, &finite);
    if (!finite) return status::invalid_input;
    if (norm_squared_ == 0.0) return status::zero_input;
    const double tolerance =
        static_cast<double>(N) * static_cast<double>(std::numeric_limits<T>::epsilon()) * std::sqrt(norm_squared_);
    for (index i = 0; i < N; ++i)
      for (index j = 0; j < i; ++j)
        if (std::fabs(static_cast<double>(a_(i, j)) - static_cast<double>(a_(j, i))) > tolerance)
          return status::invalid_input;
    return status::ok;
  }

  /// ||A||_F^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  View<const T, N, N> matrix() const noexcept { return a_; }

  /// grad = 2 (X (X^T X) - A X), given gram_x = X^T X; returns f(X) (loss_from_gradient).
  template <class MX, class MG, class MGrad, class Work>
  double gradient(const MX& x, const MG& gram_x, MGrad& grad, Work& w) const noexcept {
    gemm(T(2), x, gram_x, T(0), grad, w.gemm);
    gemm(T(-2), a_, x, T(1), grad, w.gemm);
    return loss_from_gradient(x, grad, gram_x);
  }

  /// f(X) from quantities the gradient already computed, without touching A:
  ///   f = 1/2 ||A||^2 - <X, A X> + 1/2 ||X^T X||^2  and  <X, grad> = 2 ||X^T X||^2 - 2 <X, A X>
  ///   so f = 1/2 ||A||^2 + 1/2 <X, grad> - 1/2 ||X^T X||^2.
  /// Cheap, but it cancels once f is below ~1e3 epsilon ||A||^2 (the driver then asks for the residual).
  template <class MX, class MGrad, class MG>
  double loss_from_gradient(const MX& x, const MGrad& grad, const MG& gram_x) const noexcept {
    return 0.5 * norm_squared_ + 0.5 * frobenius_inner(x, grad) - 0.5 * frobenius_inner(gram_x, gram_x);
  }

  /// ||A - X X^T||_F^2 exactly (one pass over A, no n x n buffer).
  template <class MX>
  double residual_norm_squared(const MX& x) const noexcept {
    return lowrank::residual_norm_squared(a_, x, x);
  }

 private:
  View<const T, N, N> a_;
  double norm_squared_ = 0.0;
};

/// The problem "approximate the symmetric A by X X^T" for a Matrix or view A (A must outlive it).
template <class MA>
symmetric_matrix<scalar_of<const MA>, view_of<const MA>::rows> symmetric(const MA& a) noexcept {
  static_assert(view_of<const MA>::rows == view_of<const MA>::cols, "lowrank::problems::symmetric: A must be square");
  return symmetric_matrix<scalar_of<const MA>, view_of<const MA>::rows>(as_view(a));
}

}  // namespace problems
}  // namespace lowrank
