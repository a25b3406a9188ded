// The symmetric problem: approximate a symmetric (positive semidefinite, for an exact fit) n x n
// matrix A by X X^T, X n x d,
//   f(X) = 1/2 ||X X^T - A||_F^2,    grad f(X) = 2 (X X^T - A) X = 2 (X (X^T X) - A X).
// The right-hand (Gram) form never builds the n x n residual: one big product A X plus d x d work.
// Solved by lowrank::solve_symmetric with a method's symmetric form (methods::precgd, scaled_gd).
//
// The contract it implements is contracts/symmetric_problem.hpp (problem units: A / s, data_scale.hpp).
#pragma once

#include <cmath>
#include <limits>

#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../kernels/residual_norm.hpp"
#include "../data_scale.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank {

namespace problems {

/// Approximation of a symmetric N x N matrix A by X X^T, f(X) = 1/2 ||X X^T - A||_F^2, for the
/// methods with a symmetric form (lowrank::solve_symmetric); made by problems::symmetric(A).
template <class T, index N>
class symmetric_matrix {
 public:
  using value_type = T;             ///< the scalar type, float or double
  static constexpr index rows = N;  ///< n, the rows of A
  static constexpr index cols = N;  ///< n, the columns of A

  /// The problem for A (read only; must outlive the problem; symmetry is checked by validate()).
  explicit symmetric_matrix(View<const T, N, N> a) noexcept : a_(a) {}

  /// Scans A: invalid_input if an entry is NaN or Inf or if A is not symmetric (to N eps ||A||_F,
  /// the rounding of a computed B B^T), out_of_range, zero_input if A == 0, else ok. Records the
  /// scale and ||A / s||_F^2.
  status validate() noexcept {
    const auto measured = measure_data<T>([this](auto&& visit) {
      visit_runs(a_, visit);
    });
    if (measured.status != status::ok) return measured.status;
    const T tolerance = static_cast<T>(static_cast<double>(N) * static_cast<double>(std::numeric_limits<T>::epsilon()) *
                                       std::sqrt(measured.norm_squared)) *
                        measured.scale.unit;
    for (index i = 0; i < N; ++i)
      for (index j = 0; j < i; ++j)
        if (std::fabs(a_(i, j) - a_(j, i)) > tolerance) return status::invalid_input;
    scale_ = measured.scale;
    norm_squared_ = measured.norm_squared;
    return status::ok;
  }

  /// ||A / s||_F^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  /// s and its conversions, once validate() has run.
  const data_scale<T>& scale() const noexcept { return scale_; }
  /// A as given (the user's units).
  View<const T, N, N> matrix() const noexcept { return a_; }

  /// out = alpha (A / s) B.
  template <class MB, class MOut, class Work>
  void data_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, a_, b, T(0), out, w.gemm);
  }

  /// grad = 2 (X (X^T X) - (A / s) X), given gram_x = X^T X; returns f(X) from it, without touching A:
  ///   f = 1/2 ||A||^2 - <X, A X> + 1/2 ||X^T X||^2  and  <X, grad> = 2 ||X^T X||^2 - 2 <X, A X>
  ///   so f = 1/2 ||A||^2 + 1/2 <X, grad> - 1/2 ||X^T X||^2.
  /// Cheap, but it cancels once f is below ~1e3 epsilon ||A||^2 (the driver then asks for the residual).
  template <class MX, class MG, class MGrad, class Work>
  double gradient(const MX& x, const MG& gram_x, MGrad& grad, Work& w) const noexcept {
    gemm(T(2), x, gram_x, T(0), grad, w.gemm);
    gemm(T(-2) * scale_.inverse, a_, x, T(1), grad, w.gemm);
    return 0.5 * norm_squared_ + 0.5 * frobenius_inner(x, grad) - 0.5 * frobenius_inner(gram_x, gram_x);
  }

  /// ||A / s - X X^T||_F^2 exactly (one pass over A, no n x n buffer).
  template <class MX, class Work>
  double residual_norm_squared(const MX& x, Work& w) const noexcept {
    return lowrank::residual_norm_squared(a_, scale_.inverse, x, x, w.gemm);
  }

 private:
  View<const T, N, N> a_;
  data_scale<T> scale_;
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
