// The plain low-rank approximation problem of Ward & Kolda:
//   f(X, Y) = 1/2 ||X Y^T - A||_F^2,
//   grad_X = (X Y^T - A) Y   = X (Y^T Y) - A Y,
//   grad_Y = (X Y^T - A)^T X = Y (X^T X) - A^T X.
// The right-hand (Gram) forms never build the m x n residual: two big products plus d x d work.
// Everything is in problem units (A / s, data_scale.hpp): the A products carry the factor 1 / s in
// their alpha, and X (Y^T Y) is formed times s so that one fused pass computes s (X G) - A Y, then
// scales it back. The contract it implements is contracts/problem.hpp.
#pragma once

#include "../data_scale.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../kernels/residual_norm.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank::problems {

/// Low-rank approximation of a fully known M x N matrix A, f(X, Y) = 1/2 ||X Y^T - A||_F^2, for every
/// method; made by problems::full(A).
template <class T, index M, index N>
class full_matrix {
 public:
  using value_type = T;             ///< the scalar type, float or double
  static constexpr index rows = M;  ///< m, the rows of A
  static constexpr index cols = N;  ///< n, the columns of A

  /// The problem for A (read only; must outlive the problem).
  explicit full_matrix(View<const T, M, N> a) noexcept : a_(a) {}

  /// Scans A: invalid_input if an entry is NaN or Inf, out_of_range if ||A||_F is within 2^10 of
  /// the largest number of T, zero_input if A == 0, else ok. Records the scale and ||A / s||_F^2.
  status validate() noexcept {
    const auto measured = measure_data<T>([this](auto&& visit) {
      visit_runs(a_, visit);
    });
    scale_ = measured.scale;
    norm_squared_ = measured.norm_squared;
    return measured.status;
  }

  /// ||A / s||_F^2, once validate() has run: the denominator of every relative error.
  double norm_squared() const noexcept { return norm_squared_; }
  /// s and its conversions, once validate() has run.
  const data_scale<T>& scale() const noexcept { return scale_; }
  /// A as given (the user's units).
  View<const T, M, N> matrix() const noexcept { return a_; }

  /// out = alpha (A / s) B for an n x k B.
  template <class MB, class MOut, class Work>
  void data_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, a_, b, T(0), out, w.gemm);
  }
  /// out = alpha (A / s)^T B for an m x k B.
  template <class MB, class MOut, class Work>
  void data_transpose_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, transpose(a_), b, T(0), out, w.gemm);
  }

  /// grad = X (Y^T Y) - (A / s) Y, given the two Gram matrices; returns f(X, Y) from it:
  ///   f = 1/2 ||A||^2 - <X, A Y> + 1/2 <X^T X, Y^T Y>  and  <X, grad_X> = <X^T X, Y^T Y> - <X, A Y>
  ///   so f = 1/2 ||A||^2 + <X, grad_X> - 1/2 <X^T X, Y^T Y>.
  /// Cheap, but it cancels once f is below ~1e3 epsilon ||A||^2: the driver then asks for
  /// residual_norm_squared instead.
  template <class MX, class MY, class MG, class MGrad, class Work>
  double gradient_x(const MX& x, const MY& y, const MG& gram_x, const MG& gram_y, MGrad& grad, Work& w) const noexcept {
    subtract_data_product(x, gram_y, a_, y, grad, w);
    return 0.5 * norm_squared_ + frobenius_inner(x, grad) - 0.5 * frobenius_inner(gram_x, gram_y);
  }

  /// grad = Y (X^T X) - (A / s)^T X, given gram_x = X^T X.
  template <class MX, class MY, class MG, class MGrad, class Work>
  void gradient_y(const MX& x, const MY& y, const MG& gram_x, MGrad& grad, Work& w) const noexcept {
    subtract_data_product(y, gram_x, transpose(a_), x, grad, w);
  }

  /// Both gradients at the same (X, Y), reading A once (simultaneous GD): after X (Y^T Y) and
  /// Y (X^T X), one sweep over A's rows subtracts (A Y)_i = sum_j a_ij y_j from row i of grad_X and
  /// a_ij x_i from every row j of grad_Y. A is the only m x n operand; the rest stays in cache.
  /// Returns f(X, Y) as gradient_x does.
  template <class MX, class MY, class MG, class MGradX, class MGradY, class Work>
  double gradients(const MX& x_in, const MY& y_in, const MG& gram_x, const MG& gram_y, MGradX& grad_x_in,
                   MGradY& grad_y_in, Work& w) const noexcept {
    gemm(T(1), x_in, gram_y, T(0), grad_x_in, w.gemm);
    gemm(T(1), y_in, gram_x, T(0), grad_y_in, w.gemm);
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
        const T a_ij = a_(i, j) * scale_.inverse;
        for (index k = 0; k < d; ++k) {
          ay_i[k] += a_ij * y(j, k);
          grad_y(j, k) -= a_ij * x_i[k];
        }
      }
      for (index k = 0; k < d; ++k) grad_x(i, k) -= ay_i[k];
    }
    return 0.5 * norm_squared_ + frobenius_inner(x, grad_x) - 0.5 * frobenius_inner(gram_x, gram_y);
  }

  /// out = (X Y^T - A / s) B = X (Y^T B) - (A / s) B for an n x k B, with Y^T B in `scratch` (d x k):
  /// the residual applied to a matrix other than Y (feedback alignment's X step).
  template <class MX, class MY, class MB, class MS, class MOut, class Work>
  void residual_times(const MX& x, const MY& y, const MB& b, MS& scratch, MOut& out, Work& w) const noexcept {
    gemm(T(1), transpose(as_view(y)), b, T(0), scratch, w.gemm);
    subtract_data_product(x, scratch, a_, b, out, w);
  }

  /// ||A / s - X Y^T||_F^2 exactly (one pass over A, no m x n buffer).
  template <class MX, class MY, class Work>
  double residual_norm_squared(const MX& x, const MY& y, Work& w) const noexcept {
    return lowrank::residual_norm_squared(a_, scale_.inverse, x, y, w.gemm);
  }

 private:
  /// out = F G - (op(A) / s) B in one fused pass. The fused product has one alpha for both terms, so
  /// it computes (s F G - op(A) B) / s, with s G formed first (exact: s is a power of two).
  template <class MF, class MG, class VA, class MB, class MOut, class Work>
  void subtract_data_product(const MF& f, const MG& g, VA a, const MB& b, MOut& out, Work& w) const noexcept {
    const auto gv = as_view(g);
    using VG = decltype(gv);
    Matrix<T, VG::rows, VG::cols> scaled_g;
    copy(gv, scaled_g);
    lowrank::scale(scale_.unit, scaled_g);
    gemm_sum(scale_.inverse, f, scaled_g, /*subtract=*/true, a, b, T(0), out, w.gemm);
  }

  View<const T, M, N> a_;
  data_scale<T> scale_;
  double norm_squared_ = 0.0;
};

/// The problem "approximate A by X Y^T" for a Matrix or view A (A must outlive the problem).
template <class MA>
full_matrix<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols> full(const MA& a) noexcept {
  return full_matrix<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols>(as_view(a));
}

}  // namespace lowrank::problems
