// Matrix completion: A is known only on a set Omega of observed entries, and
//   f(X, Y) = 1/2 ||P_Omega(X Y^T - A)||_F^2,
//   grad_X = R Y,   grad_Y = R^T X,   R = P_Omega(X Y^T - A),
// where P_Omega keeps the observed entries and zeroes the others.
//
// The mask couples the entries, so the Gram shortcut of problems::full (X (Y^T Y) - A Y) does not
// apply: R is formed entry by entry (kernels::for_each_residual) and multiplied into the gradient at
// once. No m x n buffer exists; the cost is O(|Omega| d) per gradient. The observation pattern is a
// BitMask (bit_mask.hpp). The contract it implements is contracts/problem.hpp.
#pragma once

#include <type_traits>

#include "../bit_mask.hpp"
#include "../data_scale.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/residual_entries.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank::problems {

/// Matrix completion, f(X, Y) = 1/2 ||P_Omega(X Y^T - A)||_F^2, for every method.
///
/// A's unobserved entries carry no information and may hold anything, NaN included. validate()
/// overwrites them with 0, so that matrix() is P_Omega(A): that is what the initializations that
/// sample the column span of A (init::colspan, init::proposed, init::nystrom) see, and it costs no
/// second m x n buffer. A must therefore be writable, and outlive the problem, as must the mask.
///
/// The driver's relative error is measured on the observed entries:
///   ||P_Omega(A - X Y^T)||_F^2 / ||P_Omega(A)||_F^2.
/// How well the unobserved entries are recovered depends on the sampling (enough entries, spread
/// over every row and column) and on A being low-rank and incoherent; it cannot be measured here.
template <class T, index M, index N>
class masked_matrix {
 public:
  using value_type = T;             ///< the scalar type, float or double
  static constexpr index rows = M;  ///< m, the rows of A
  static constexpr index cols = N;  ///< n, the columns of A

  /// The problem for A (writable: see above) observed where `observed` is set.
  masked_matrix(View<T, M, N> a, const BitMask<M, N>& observed) noexcept : a_(a), observed_(&observed) {}

  /// Checks the data and prepares A, in this order: invalid_input if an observed entry is NaN or Inf
  /// (unobserved ones are never read), out_of_range if the observed entries' norm is too large (see
  /// measure_data); unobservable if a row or a column has no observed entry (that row of X, or of Y,
  /// would not be determined); then zeroes the unobserved entries of A and returns zero_input if every
  /// observed entry is 0, else ok. Records the scale and ||P_Omega(A) / s||_F^2.
  status validate() noexcept {
    const auto measured = measure_data<T>([this](auto&& visit) {
      for (index i = 0; i < M; ++i)
        for (index j = 0; j < N; ++j)
          if (observed_->test(i, j)) visit(&a_(i, j), 1);
    });
    if (measured.status == status::invalid_input || measured.status == status::out_of_range) return measured.status;
    if (!observed_->covers_every_row_and_column()) return status::unobservable;
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j)
        if (!observed_->test(i, j)) a_(i, j) = T(0);
    scale_ = measured.scale;
    norm_squared_ = measured.norm_squared;
    return measured.status;
  }

  /// ||P_Omega(A) / s||_F^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  /// s and its conversions, once validate() has run.
  const data_scale<T>& scale() const noexcept { return scale_; }
  /// P_Omega(A) (unobserved entries 0) once validate() has run, in the user's units.
  View<const T, M, N> matrix() const noexcept { return a_; }
  /// The observation pattern.
  const BitMask<M, N>& observed() const noexcept { return *observed_; }

  /// out = alpha (P_Omega(A) / s) B.
  template <class MB, class MOut, class Work>
  void data_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, View<const T, M, N>(a_), b, T(0), out, w.gemm);
  }
  /// out = alpha (P_Omega(A) / s)^T B.
  template <class MB, class MOut, class Work>
  void data_transpose_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, transpose(View<const T, M, N>(a_)), b, T(0), out, w.gemm);
  }

  /// grad = R Y with R = P_Omega(X Y^T - A / s), row by row; returns f(X, Y), summed on the way. The
  /// Gram matrices and the packing workspace are not used (the mask defeats the Gram form).
  template <class MX, class MY, class MG, class MGrad, class Work>
  double gradient_x(const MX& x, const MY& y, const MG& /*gram_x*/, const MG& /*gram_y*/, MGrad& grad,
                    Work& /*w*/) const noexcept {
    return residual_times_rows(as_view(x), as_view(y), as_view(y), as_view(grad));
  }

  /// grad = R^T X with R = P_Omega(X Y^T - A / s).
  template <class MX, class MY, class MG, class MGrad, class Work>
  void gradient_y(const MX& x, const MY& y, const MG& /*gram_x*/, MGrad& grad_in, Work& /*w*/) const noexcept {
    const auto grad = as_view(grad_in);
    constexpr index d = decltype(grad)::cols;
    fill(grad, T(0));
    kernels::for_each_residual(
        observed_entries(), a_, scale_.inverse, as_view(x), as_view(y),
        [&](index, index j, T residual, const T* xi) noexcept {
          for (index p = 0; p < d; ++p) grad(j, p) += residual * xi[p];
        },
        [](index) noexcept {});
  }

  /// ||P_Omega(A / s - X Y^T)||_F^2, exactly (O(|Omega| d), no m x n buffer).
  template <class MX, class MY, class Work>
  double residual_norm_squared(const MX& x, const MY& y, Work& /*w*/) const noexcept {
    return kernels::residual_sum_of_squares(observed_entries(), a_, scale_.inverse, as_view(x), as_view(y));
  }

  /// out = P_Omega(X Y^T - A / s) B for an n x k B (feedback alignment's X step; no scratch needed).
  template <class MX, class MY, class MB, class MS, class MOut, class Work>
  void residual_times(const MX& x, const MY& y, const MB& b, MS& /*scratch*/, MOut& out, Work& /*w*/) const noexcept {
    residual_times_rows(as_view(x), as_view(y), as_view(b), as_view(out));
  }

 private:
  auto observed_entries() const noexcept {
    return [mask = observed_](index i, index j) noexcept { return mask->test(i, j); };
  }

  /// out = R B row by row, R = P_Omega(X Y^T - A / s); returns 1/2 ||R||_F^2.
  template <class VX, class VY, class VB, class VOut>
  double residual_times_rows(VX x, VY y, VB b, VOut out) const noexcept {
    constexpr index k = VB::cols;
    static_assert(VB::rows == N && VOut::rows == M && VOut::cols == k,
                  "lowrank: B must be n x k and the product m x k");
    detail::compensated_sum<T> total;
    T row_sum = T(0);
    T accumulated[k] = {};
    kernels::for_each_residual(
        observed_entries(), a_, scale_.inverse, x, y,
        [&](index, index j, T residual, const T*) noexcept {
          row_sum += residual * residual;
          for (index q = 0; q < k; ++q) accumulated[q] += residual * b(j, q);
        },
        [&](index i) noexcept {
          for (index q = 0; q < k; ++q) {
            out(i, q) = accumulated[q];
            accumulated[q] = T(0);
          }
          total.add(row_sum);
          row_sum = T(0);
        });
    return 0.5 * total.value();
  }

  View<T, M, N> a_;
  const BitMask<M, N>* observed_;
  data_scale<T> scale_;
  double norm_squared_ = 0.0;
};

/// The completion problem for a writable Matrix or view A and its observation mask (both must
/// outlive the problem; validate() zeroes A's unobserved entries).
template <class MA, index M, index N>
masked_matrix<scalar_of<MA>, M, N> masked(MA& a, const BitMask<M, N>& observed) noexcept {
  static_assert(view_of<MA>::rows == M && view_of<MA>::cols == N,
                "lowrank::problems::masked: the mask must have the dimensions of A");
  static_assert(!std::is_const_v<typename view_of<MA>::element_type>,
                "lowrank::problems::masked: A must be writable (validate() zeroes its unobserved entries)");
  return masked_matrix<scalar_of<MA>, M, N>(as_view(a), observed);
}

}  // namespace lowrank::problems
