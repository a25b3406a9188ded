// The plain low-rank approximation problem of Ward & Kolda:
//   f(X, Y) = 1/2 ||X Y^T - A||_F^2,
//   grad_X = (X Y^T - A) Y   = X (Y^T Y) - A Y,
//   grad_Y = (X Y^T - A)^T X = Y (X^T X) - A^T X.
// The right-hand (Gram) forms never build the m x n residual: two big products plus d x d work.
#pragma once

#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../kernels/residual_norm.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank::problems {

template <class T, index M, index N>
class full_matrix {
 public:
  using value_type = T;
  static constexpr index rows = M;
  static constexpr index cols = N;

  explicit full_matrix(View<const T, M, N> a) noexcept : a_(a) {}

  /// Scans A once: invalid_input if any entry is NaN or Inf, zero_input if A == 0, else ok.
  /// Also records ||A||_F^2, the denominator of every relative error.
  status validate() noexcept {
    bool finite = true;
    norm_squared_ = frobenius_norm_squared(a_, &finite);
    if (!finite) return status::invalid_input;
    return norm_squared_ == 0.0 ? status::zero_input : status::ok;
  }

  /// ||A||_F^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  View<const T, M, N> matrix() const noexcept { return a_; }

  /// grad = X (Y^T Y) - A Y, given gram_y = Y^T Y.
  template <class MX, class MY, class MG, class MGrad, class Gemm>
  void gradient_x(const MX& x, const MY& y, const MG& gram_y, MGrad& grad, Gemm& gemm_ws) const noexcept {
    gemm_sum(T(1), x, gram_y, /*subtract=*/true, a_, y, T(0), grad, gemm_ws);  // one pass over grad
  }

  /// grad = Y (X^T X) - A^T X, given gram_x = X^T X.
  template <class MX, class MY, class MG, class MGrad, class Gemm>
  void gradient_y(const MX& x, const MY& y, const MG& gram_x, MGrad& grad, Gemm& gemm_ws) const noexcept {
    gemm_sum(T(1), y, gram_x, /*subtract=*/true, transpose(a_), x, T(0), grad, gemm_ws);
  }

  /// Both gradients at the same (X, Y), reading A once (simultaneous GD): after X (Y^T Y) and
  /// Y (X^T X), one sweep over A's rows subtracts (A Y)_i = sum_j a_ij y_j from row i of grad_X and
  /// a_ij x_i from every row j of grad_Y. A is the only m x n operand; the rest stays in cache.
  static constexpr bool reads_a_once_for_both_gradients = true;
  template <class MX, class MY, class MG, class MGradX, class MGradY, class Gemm>
  void gradients(const MX& x_in, const MY& y_in, const MG& gram_x, const MG& gram_y, MGradX& grad_x_in,
                 MGradY& grad_y_in, Gemm& gemm_ws) const noexcept {
    gemm(T(1), x_in, gram_y, T(0), grad_x_in, gemm_ws);
    gemm(T(1), y_in, gram_x, T(0), grad_y_in, gemm_ws);
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    const auto grad_x = as_view(grad_x_in);
    const auto grad_y = as_view(grad_y_in);
    constexpr index d = decltype(x)::cols;
    for (index i = 0; i < M; ++i) {
      T x_i[d];
      T ay_i[d] = {};
      for (index k = 0; k < d; ++k) x_i[k] = x(i, k);
      for (index j = 0; j < N; ++j) {
        const T a_ij = a_(i, j);
        for (index k = 0; k < d; ++k) {
          ay_i[k] += a_ij * y(j, k);
          grad_y(j, k) -= a_ij * x_i[k];
        }
      }
      for (index k = 0; k < d; ++k) grad_x(i, k) -= ay_i[k];
    }
  }

  /// f(X, Y) from quantities the X gradient already computed, without touching A:
  ///   f = 1/2 ||A||^2 - <X, A Y> + 1/2 <X^T X, Y^T Y>  and  <X, grad_X> = <X^T X, Y^T Y> - <X, A Y>
  ///   so f = 1/2 ||A||^2 + <X, grad_X> - 1/2 <X^T X, Y^T Y>.
  /// Cheap, but it cancels once f is below ~1e3 epsilon ||A||^2: the driver then asks for
  /// residual_norm_squared instead.
  template <class MX, class MGrad, class MG>
  double loss_from_gradient_x(const MX& x, const MGrad& grad_x, const MG& gram_x, const MG& gram_y) const noexcept {
    return 0.5 * norm_squared_ + frobenius_inner(x, grad_x) - 0.5 * frobenius_inner(gram_x, gram_y);
  }

  /// out = (X Y^T - A) B = X (Y^T B) - A B for an n x k B, with Y^T B in `scratch` (d x k): the
  /// residual applied to a matrix other than Y (feedback alignment's X step).
  template <class MX, class MY, class MB, class MS, class MOut, class Gemm>
  void residual_times(const MX& x, const MY& y, const MB& b, MS& scratch, MOut& out, Gemm& gemm_ws) const noexcept {
    gemm(T(1), transpose(as_view(y)), b, T(0), scratch, gemm_ws);
    gemm(T(1), x, scratch, T(0), out, gemm_ws);
    gemm(T(-1), a_, b, T(1), out, gemm_ws);
  }

  /// ||A - X Y^T||_F^2 exactly (one pass over A, no m x n buffer).
  template <class MX, class MY>
  double residual_norm_squared(const MX& x, const MY& y) const noexcept {
    return lowrank::residual_norm_squared(a_, x, y);
  }

 private:
  View<const T, M, N> a_;
  double norm_squared_ = 0.0;
};

/// The problem "approximate A by X Y^T" for a Matrix or view A (A must outlive the problem).
template <class MA>
full_matrix<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols> full(const MA& a) noexcept {
  return full_matrix<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols>(as_view(a));
}

}  // namespace lowrank::problems
