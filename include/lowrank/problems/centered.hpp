// PCA's problem: approximate the column-centered matrix A - 1 mu^T (mu the column means, 1 the ones
// vector) by X Y^T without forming it. Every product folds the means in:
//   (A - 1 mu^T) B   = A B - 1 (mu^T B)        (mu^T B: k numbers for an n x k B)
//   (A - 1 mu^T)^T B = A^T B - mu (1^T B)      (1^T B: the k column sums of an m x k B)
// so a product costs one product with A plus O((m + n) k). The gradients are those of problems::full
// with these products; the exact residual subtracts mu_j entry by entry. The price of not forming
// the centered matrix: where the means are much larger than the spread about them, A B carries
// their size, and the products lose about log10(|mu| / spread) digits to cancellation (the exact
// residual, which certifies, does not). The contract it implements is contracts/problem.hpp.
#pragma once

#include <cmath>

#include "../data_scale.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank::problems {

/// The problem of a low-rank fit to the column-centered A - 1 mu^T (mu: A's column means) of an M x N A.
template <class T, index M, index N>
class centered_matrix {
 public:
  using value_type = T;               ///< the scalar type of A
  static constexpr index rows = M;  ///< m, the number of rows of A
  static constexpr index cols = N;  ///< n, the number of columns of A

  /// The problem for A (which must outlive it); its sizeof includes the n means.
  explicit centered_matrix(View<const T, M, N> a) noexcept : a_(a) {}

  /// Computes the column means, then scans A - 1 mu^T: invalid_input if an entry of A is NaN or Inf,
  /// out_of_range if the centered matrix's norm is within 2^10 of the largest T (or an entry of it
  /// overflows), zero_input if every column is constant, else ok. Records the scale and the norm.
  status validate() noexcept {
    bool finite = true;
    const T weight = T(1) / T(M);  // mu_j = sum_i a_ij / m: each term is at most max |a_ij|
    for (index j = 0; j < N; ++j) {
      detail::compensated_sum<T> sum;
      for (index i = 0; i < M; ++i) {
        finite = finite && std::isfinite(a_(i, j));
        sum.add(a_(i, j) * weight);
      }
      mean_(0, j) = static_cast<T>(sum.value());
    }
    if (!finite) return status::invalid_input;
    const auto measured = measure_data<T>([this](auto&& visit) {
      for (index i = 0; i < M; ++i)
        for (index j = 0; j < N; ++j) {
          const T centered = a_(i, j) - mean_(0, j);
          visit(&centered, 1);
        }
    });
    scale_ = measured.scale;
    norm_squared_ = measured.norm_squared;
    return measured.status == status::invalid_input ? status::out_of_range : measured.status;
  }

  /// ||(A - 1 mu^T) / s||_F^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  /// s and its conversions, once validate() has run.
  const data_scale<T>& scale() const noexcept { return scale_; }
  /// The column means mu (1 x n, the user's units), once validate() has run.
  View<const T, 1, N> mean() const noexcept { return mean_.view(); }
  /// A as given (not centered).
  View<const T, M, N> matrix() const noexcept { return a_; }

  /// out = alpha ((A - 1 mu^T) / s) B for an n x k B.
  template <class MB, class MOut, class Work>
  void data_times(T alpha, const MB& b_in, MOut& out_in, Work& w) const noexcept {
    const auto b = as_view(b_in);
    const auto out = as_view(out_in);
    constexpr index k = decltype(b)::cols;
    const T factor = alpha * scale_.inverse;
    gemm(factor, a_, b, T(0), out, w.gemm);
    T mean_times_b[k] = {};
    for (index j = 0; j < N; ++j)
      for (index c = 0; c < k; ++c) mean_times_b[c] += mean_(0, j) * b(j, c);
    for (index i = 0; i < M; ++i)
      for (index c = 0; c < k; ++c) out(i, c) -= factor * mean_times_b[c];
  }

  /// out = alpha ((A - 1 mu^T) / s)^T B for an m x k B.
  template <class MB, class MOut, class Work>
  void data_transpose_times(T alpha, const MB& b_in, MOut& out_in, Work& w) const noexcept {
    const auto b = as_view(b_in);
    const auto out = as_view(out_in);
    constexpr index k = decltype(b)::cols;
    const T factor = alpha * scale_.inverse;
    gemm(factor, transpose(a_), b, T(0), out, w.gemm);
    T column_sums[k] = {};
    for (index i = 0; i < M; ++i)
      for (index c = 0; c < k; ++c) column_sums[c] += b(i, c);
    for (index j = 0; j < N; ++j)
      for (index c = 0; c < k; ++c) out(j, c) -= factor * mean_(0, j) * column_sums[c];
  }

  /// grad = X (Y^T Y) - ((A - 1 mu^T) / s) Y; returns f(X, Y) from it as problems::full does:
  /// f = 1/2 ||A_c||^2 + <X, grad_X> - 1/2 <X^T X, Y^T Y> (the driver certifies with the exact residual
  /// where this cancels).
  template <class MX, class MY, class MG, class MGrad, class Work>
  double gradient_x(const MX& x, const MY& y, const MG& gram_x, const MG& gram_y, MGrad& grad, Work& w) const noexcept {
    data_times(T(-1), y, grad, w);
    gemm(T(1), x, gram_y, T(1), grad, w.gemm);
    return 0.5 * norm_squared_ + frobenius_inner(x, grad) - 0.5 * frobenius_inner(gram_x, gram_y);
  }

  /// grad = Y (X^T X) - ((A - 1 mu^T) / s)^T X, given gram_x = X^T X.
  template <class MX, class MY, class MG, class MGrad, class Work>
  void gradient_y(const MX& x, const MY& y, const MG& gram_x, MGrad& grad, Work& w) const noexcept {
    data_transpose_times(T(-1), x, grad, w);
    gemm(T(1), y, gram_x, T(1), grad, w.gemm);
  }

  /// ||(A - 1 mu^T) / s - X Y^T||_F^2 exactly, entry by entry (one pass over A, no m x n buffer).
  template <class MX, class MY, class Work>
  double residual_norm_squared(const MX& x_in, const MY& y_in, Work& /*w*/) const noexcept {
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    constexpr index d = decltype(x)::cols;
    detail::compensated_sum<T> total;
    for (index i = 0; i < M; ++i) {
      T row = T(0);
      for (index j = 0; j < N; ++j) {
        T r = (a_(i, j) - mean_(0, j)) * scale_.inverse;
        for (index k = 0; k < d; ++k) r -= x(i, k) * y(j, k);
        row += r * r;
      }
      total.add(row);
    }
    return total.value();
  }

 private:
  View<const T, M, N> a_;
  Matrix<T, 1, N> mean_ = {};
  data_scale<T> scale_;
  double norm_squared_ = 0.0;
};

/// The problem "approximate A - 1 mu^T by X Y^T", mu the column means of A (a Matrix or view, which
/// must outlive the problem).
template <class MA>
centered_matrix<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols> centered(const MA& a) noexcept {
  return centered_matrix<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols>(as_view(a));
}

}  // namespace lowrank::problems
