// Robust PCA by gradient descent (Yi, Park, Chen & Caramanis, NeurIPS 2016): A = L + S with L = X Y^T
// low-rank and S sparse (gross outliers at unknown places), by gradient steps on
//   f(X, Y) = 1/2 ||X Y^T + S - A||_F^2 + (c/4) ||X^T X - Y^T Y||_F^2,
// with S re-formed at every iterate by the double thresholding operator S = T_alpha(A - X Y^T): an
// entry is kept only if it is among the alpha fraction largest in magnitude of its row AND of its
// column (ties broken in index order, so that no row or column holds more than its quota).
//
// S is stored as its support alone (one bit per entry, in RobustWorkspace): the best S on a support
// is A - X Y^T there, so the fit term is matrix completion with the support as the missing entries:
//   grad_X = P_keep(X Y^T - A) Y + c X (X^T X - Y^T Y),  grad_Y = P_keep(X Y^T - A)^T X + c Y (Y^T Y - X^T X).
// gradient_x forms the support at (X_t, Y_t); the gradient_y and the residual that follow use it, as
// Yi et al.'s AGD refits S on the same support at X_{t+1}.
//
// With an outlier floor tau > 0 an entry is an outlier only if |A - X Y^T| > tau there, and each
// entry of S costs tau^2 in the measured loss g(X, Y) = 1/2 sum_kept (X Y^T - A)^2 + 1/2 tau^2 |S|, so
// that setting entries aside is not free (fits with different supports stay comparable). The
// balancing term vanishes at every balanced factorization: it shapes the path, not the solutions,
// and is left out of g. docs/design.md has the longer story (choice of c, cost per iteration).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "../bit_mask.hpp"
#include "../data_scale.hpp"
#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../kernels/residual_entries.hpp"
#include "../kernels/small.hpp"
#include "../matrix.hpp"
#include "../status.hpp"
#include "../workspace.hpp"

namespace lowrank::problems {

/// Parameters of robust PCA.
template <class T>
struct robust_options {
  /// alpha: the fraction of each row and of each column that T_alpha may put in S, in [0, 1/2). It
  /// must be at least the true fraction of outliers in every row and column (Yi et al.'s demo takes
  /// 1.5 times the expected fraction). A generous alpha costs speed: while the fit is rough, T_alpha
  /// also sets aside large entries of L.
  T sparse_fraction = T(0.1);
  /// c in (c/4) ||X^T X - Y^T Y||_F^2 (>= 0). Any c > 0 has the same minimizers; Yi et al.'s code
  /// steps by (1/16) X (X^T X - Y^T Y), i.e. c = 1/4.
  T balance = T(0.25);
  /// tau, in A's units: residuals of magnitude at most tau never enter S, and each entry of S costs
  /// tau^2 in the measured loss; >= 0. With noisy data set it well above the noise (5 to 10 standard
  /// deviations). 0 (default) keeps T_alpha as is: once the outliers are fitted exactly, entries at
  /// rounding level fill the rest of each quota (harmless for L; read S back with estimate_sparse
  /// and a tolerance).
  T outlier_floor = T(0);
};

/// Robust PCA, A ~ X Y^T + S, for the driver and every method; needs a RobustWorkspace. A may also be
/// partially observed (the constructor with a mask): then only observed entries are fitted or can be
/// outliers, and the fractions are of the observed entries of each row and column.
///
/// The driver's relative error is g(X, Y) / g(0, 0), relative to the data outside T_alpha(A) (see
/// prepare). matrix() is A as given (outliers
/// included): the initializations that sample A's column span would see the outliers, so start
/// robust PCA from init::random.
template <class T, index M, index N>
class robust_pca {
 public:
  using value_type = T;             ///< the scalar type, float or double
  static constexpr index rows = M;  ///< m, the rows of A
  static constexpr index cols = N;  ///< n, the columns of A

  /// The residual's support is the one gradient_x formed (contracts/problem.hpp).
  static constexpr bool residual_reads_gradient_state = true;

  /// The workspace must be a RobustWorkspace (contracts/problem.hpp: accepts_workspace).
  template <class Work>
  static constexpr bool accepts_workspace() noexcept {
    constexpr bool ok = std::is_base_of_v<RobustWorkspace<T, M, N, Work::rank>, Work>;
    static_assert(ok, "lowrank::problems::robust needs a lowrank::RobustWorkspace<T, m, n, d> (the support of S "
                      "and the thresholds live there)");
    return ok;
  }

  /// Fully observed A (read only; must outlive the problem).
  robust_pca(View<const T, M, N> a, const robust_options<T>& options) noexcept
      : a_(a), writable_(nullptr), observed_(nullptr), options_(options) {}
  /// A observed where `observed` is set; A must be writable (validate() zeroes the unobserved
  /// entries, as problems::masked does) and, like the mask, outlive the problem.
  robust_pca(View<T, M, N> a, const BitMask<M, N>& observed, const robust_options<T>& options) noexcept
      : a_(a), writable_(a.data()), observed_(&observed), options_(options) {}

  /// invalid_argument if an option is out of range (alpha outside [0, 1/2), c or the floor negative
  /// or not finite); then as problems::masked: invalid_input, out_of_range, unobservable (zero_input
  /// is prepare's to say).
  status validate() noexcept {
    const T alpha = options_.sparse_fraction;
    if (!(alpha >= T(0) && alpha < T(0.5)) || !(options_.balance >= T(0)) || !std::isfinite(options_.balance) ||
        !(options_.outlier_floor >= T(0)) || !std::isfinite(options_.outlier_floor))
      return status::invalid_argument;
    const auto measured = measure_data<T>([this](auto&& visit) {
      for (index i = 0; i < M; ++i)
        for (index j = 0; j < N; ++j)
          if (observed(i, j)) visit(&a_(i, j), 1);
    });
    if (measured.status == status::invalid_input || measured.status == status::out_of_range) return measured.status;
    if (observed_ != nullptr) {
      if (!observed_->covers_every_row_and_column()) return status::unobservable;
      const View<T, M, N> a(writable_, a_.row_stride(), a_.col_stride());
      for (index i = 0; i < M; ++i)
        for (index j = 0; j < N; ++j)
          if (!observed_->test(i, j)) a(i, j) = T(0);
    }
    scale_ = measured.scale;
    norm_squared_ = measured.norm_squared;
    return measured.status == status::zero_input ? status::ok : measured.status;
  }

  /// After validate(): forms S = T_alpha(A) (the estimate at X = Y = 0) in w.support and records
  /// 2 g(0, 0) as norm_squared(), so that a target is relative to the data outside the outliers,
  /// whatever their size. zero_input if nothing is left outside S (X = Y = 0 is exact), else ok.
  template <class Work>
  status prepare(Work& w) noexcept {
    fill(w.best_x, T(0));
    fill(w.best_y, T(0));
    const double fit = threshold(scale_.inverse, w.best_x.view(), w.best_y.view(),
                                 options_.outlier_floor * scale_.inverse, w, [](index, index, T) noexcept {});
    norm_squared_ = 2.0 * (fit + outlier_cost(w));
    return fit == 0.0 ? status::zero_input : status::ok;
  }

  /// 2 g(0, 0) in problem units, once prepare() has run: ||A / s||^2 outside T_alpha(A) plus
  /// (tau / s)^2 per entry of it.
  double norm_squared() const noexcept { return norm_squared_; }
  /// s and its conversions, once validate() has run.
  const data_scale<T>& scale() const noexcept { return scale_; }
  /// A as given (unobserved entries zeroed by validate()), in the user's units.
  View<const T, M, N> matrix() const noexcept { return a_; }
  /// The options given to the constructor.
  const robust_options<T>& options() const noexcept { return options_; }

  /// out = alpha (A / s) B (A with its outliers).
  template <class MB, class MOut, class Work>
  void data_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, a_, b, T(0), out, w.gemm);
  }
  /// out = alpha (A / s)^T B.
  template <class MB, class MOut, class Work>
  void data_transpose_times(T alpha, const MB& b, MOut& out, Work& w) const noexcept {
    gemm(alpha * scale_.inverse, transpose(a_), b, T(0), out, w.gemm);
  }

  /// Forms the support of S = T_alpha(A / s - X Y^T) in w.support, then grad = P_keep(X Y^T - A / s) Y
  /// + c X (X^T X - Y^T Y); returns g(X, Y).
  template <class MX, class MY, class MG, class MGrad, class Work>
  double gradient_x(const MX& x_in, const MY& y_in, const MG& gram_x, const MG& gram_y, MGrad& grad_in,
                    Work& w) const noexcept {
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    const auto grad = as_view(grad_in);
    constexpr index d = decltype(x)::cols;
    fill(grad, T(0));
    const double fit = threshold(
        scale_.inverse, x, y, options_.outlier_floor * scale_.inverse, w,
        [&](index i, index j, T residual) noexcept {
          for (index p = 0; p < d; ++p) grad(i, p) += residual * y(j, p);
        });
    add_balancing(x, gram_x, gram_y, grad, w);
    return fit + outlier_cost(w);
  }

  /// grad = P_keep(X Y^T - A / s)^T X + c Y (Y^T Y - X^T X), on the support of the last gradient_x.
  template <class MX, class MY, class MG, class MGrad, class Work>
  void gradient_y(const MX& x_in, const MY& y_in, const MG& gram_x, MGrad& grad_in, Work& w) const noexcept {
    const auto grad = as_view(grad_in);
    constexpr index d = decltype(grad)::cols;
    fill(grad, T(0));
    kernels::for_each_residual(
        kept_entries(w), a_, scale_.inverse, as_view(x_in), as_view(y_in),
        [&](index, index j, T residual, const T* xi) noexcept {
          for (index p = 0; p < d; ++p) grad(j, p) += residual * xi[p];
        },
        [](index) noexcept {});
    Matrix<T, d, d> gram_y;
    gram(y_in, gram_y, w.gemm);
    add_balancing(y_in, gram_y, gram_x, grad, w);
  }

  /// 2 g(X, Y) exactly, on the support of the last gradient_x: ||A / s - X Y^T||^2 outside it (over
  /// the observed entries) plus tau^2 per entry of S.
  template <class MX, class MY, class Work>
  double residual_norm_squared(const MX& x, const MY& y, Work& w) const noexcept {
    return kernels::residual_sum_of_squares(kept_entries(w), a_, scale_.inverse, as_view(x), as_view(y)) +
           2.0 * outlier_cost(w);
  }

  /// The balancing term (c/4) ||X^T X - Y^T Y||_F^2 from the two Gram matrices (for tests and
  /// diagnostics: g plus this is the function whose gradients the problem returns).
  template <class MG>
  double balance_term(const MG& gram_x, const MG& gram_y) const noexcept {
    const auto gx = as_view(gram_x);
    const auto gy = as_view(gram_y);
    Matrix<T, decltype(gx)::rows, decltype(gx)::cols> difference;
    copy(gx, difference);
    axpy(T(-1), gy, difference);
    return 0.25 * static_cast<double>(options_.balance) * frobenius_inner(difference, difference);
  }

  /// Re-forms S = T_alpha(A - X Y^T) in w.support at the factors X, Y a solve returned (the user's
  /// units), leaving out residuals of magnitude at most `tolerance` (A's units; default: the floor),
  /// and returns the number of its entries.
  template <class MX, class MY, class Work>
  index estimate_sparse(const MX& x, const MY& y, Work& w) const noexcept {
    return estimate_sparse(x, y, w, options_.outlier_floor);
  }
  /// The same with the tolerance given (A's units).
  template <class MX, class MY, class Work>
  index estimate_sparse(const MX& x, const MY& y, Work& w, T tolerance) const noexcept {
    static_assert(accepts_workspace<Work>());
    threshold(T(1), as_view(x), as_view(y), tolerance, w, [](index, index, T) noexcept {});
    return w.support.count();
  }

  /// S_ij = (A - X Y^T)_ij on the support in w (the user's units), 0 elsewhere.
  template <class MX, class MY, class Work>
  T sparse_value(index i, index j, const MX& x_in, const MY& y_in, const Work& w) const noexcept {
    if (!w.support.test(i, j)) return T(0);
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    T approx = T(0);
    for (index p = 0; p < decltype(x)::cols; ++p) approx += x(i, p) * y(j, p);
    return a_(i, j) - approx;
  }

  /// S as a dense m x n matrix (for hosts and plots; the solver never needs it).
  template <class MX, class MY, class MS, class Work>
  void sparse_matrix(const MX& x, const MY& y, MS&& s_in, const Work& w) const noexcept {
    const auto s = as_view(s_in);
    static_assert(decltype(s)::rows == M && decltype(s)::cols == N, "lowrank::robust_pca: S must be m x n");
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j) s(i, j) = sparse_value(i, j, x, y, w);
  }

 private:
  LOWRANK_ALWAYS_INLINE bool observed(index i, index j) const noexcept {
    return observed_ == nullptr || observed_->test(i, j);
  }

  template <class Work>
  auto kept_entries(const Work& w) const noexcept {
    return [this, &w](index i, index j) noexcept { return observed(i, j) && !w.support.test(i, j); };
  }

  /// grad += c F (F^T F - G) given gram_f = F^T F and gram_g = G.
  template <class MF, class MG, class MGrad, class Work>
  void add_balancing(const MF& f, const MG& gram_f, const MG& gram_g, MGrad& grad, Work& w) const noexcept {
    constexpr index d = view_of<const MG>::rows;
    Matrix<T, d, d> imbalance;
    copy(gram_f, imbalance);
    axpy(T(-1), gram_g, imbalance);
    gemm(options_.balance, f, imbalance, T(1), grad, w.gemm);
  }

  /// floor(alpha count): how many of `count` observed entries T_alpha may keep. The guard absorbs
  /// the rounding of alpha (0.35f is 0.3499999940...).
  index quota(index count) const noexcept {
    const double exact = static_cast<double>(options_.sparse_fraction) * static_cast<double>(count);
    return static_cast<index>(exact + 1e-6 * static_cast<double>(count) + 1e-9);
  }

  /// 1/2 tau^2 |S| in problem units.
  template <class Work>
  double outlier_cost(const Work& w) const noexcept {
    const double tau = static_cast<double>(options_.outlier_floor * scale_.inverse);
    return 0.5 * tau * tau * static_cast<double>(w.support.count());
  }

  /// |r| for the selection, with NaN as +infinity so that the ordering stays strict-weak.
  static T magnitude(T r) noexcept { return std::isnan(r) ? std::numeric_limits<T>::infinity() : std::fabs(r); }

  /// The k-th largest of values[0 .. count - 1] (reordered) and how many entries are above it; +inf
  /// (nothing qualifies) for k = 0.
  static T kth_largest(T* values, index count, index k, index& above) noexcept {
    above = 0;
    if (k == 0 || count == 0) return std::numeric_limits<T>::infinity();
    std::nth_element(values, values + (count - k), values + count);
    const T kth = values[count - k];
    for (index p = count - k + 1; p < count; ++p) above += values[p] > kth ? 1 : 0;
    return kth;
  }

  /// Whether an entry of magnitude v passes a threshold whose ties may still take `ties` entries.
  static bool passes(T v, T threshold, index ties) noexcept { return v > threshold || (v == threshold && ties > 0); }

  /// S = T_alpha(R), R = X Y^T - c A, into w.support: (i, j) is in S when observed, R_ij finite,
  /// |R_ij| > floor, and |R_ij| among the quota largest of its row and of its column (ties in index
  /// order). Calls kept(i, j, R_ij) for every other observed entry and returns 1/2 the sum of their
  /// squares. Two passes: one over A^T for the column thresholds, one over A for the rest.
  template <class VX, class VY, class Work, class Kept>
  double threshold(T c, VX x, VY y, T floor, Work& w, const Kept& kept) const noexcept {
    index count = 0;
    kernels::for_each_residual(
        [this](index j, index i) noexcept { return observed(i, j); }, transpose(a_), c, y, x,
        [&](index, index, T residual, const T*) noexcept { w.selection[count++] = magnitude(residual); },
        [&](index j) noexcept {
          index above = 0;
          const index k = quota(count);
          w.column_threshold[j] = kth_largest(w.selection, count, k, above);
          w.column_ties[j] = k - above;
          count = 0;
        });
    detail::compensated_sum<T> total;
    kernels::for_each_residual(
        [this](index i, index j) noexcept { return observed(i, j); }, a_, c, x, y,
        [&](index, index j, T residual, const T*) noexcept {
          w.row_residual[j] = residual;
          w.selection[count++] = magnitude(residual);
        },
        [&](index i) noexcept {
          index above = 0;
          const index k = quota(count);
          const T row_threshold = kth_largest(w.selection, count, k, above);
          index row_ties = k - above;
          count = 0;
          T row_sum = T(0);
          for (index j = 0; j < N; ++j) {
            bool outlier = false;
            if (observed(i, j)) {
              const T r = w.row_residual[j];
              const T v = std::fabs(r);
              outlier = std::isfinite(r) && v > floor && passes(v, row_threshold, row_ties) &&
                        passes(v, w.column_threshold[j], w.column_ties[j]);
              if (outlier) {
                row_ties -= v == row_threshold ? 1 : 0;
                w.column_ties[j] -= v == w.column_threshold[j] ? 1 : 0;
              } else {
                row_sum += r * r;
                kept(i, j, r);
              }
            }
            w.support.set(i, j, outlier);
          }
          total.add(row_sum);
        });
    return 0.5 * total.value();
  }

  View<const T, M, N> a_;
  T* writable_;  ///< A's storage when partially observed (validate() zeroes the unobserved entries)
  const BitMask<M, N>* observed_;  ///< null: every entry observed
  robust_options<T> options_;
  data_scale<T> scale_;
  double norm_squared_ = 0.0;
};

/// Robust PCA of a fully observed Matrix or view A (read only; must outlive the problem).
template <class MA>
robust_pca<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols> robust(
    const MA& a, const robust_options<scalar_of<const MA>>& options) noexcept {
  return robust_pca<scalar_of<const MA>, view_of<const MA>::rows, view_of<const MA>::cols>(as_view(a), options);
}

/// Robust PCA of A observed where `observed` is set (A writable: validate() zeroes its unobserved
/// entries; A and the mask must outlive the problem).
template <class MA, index M, index N>
robust_pca<scalar_of<MA>, M, N> robust(MA& a, const BitMask<M, N>& observed,
                                       const robust_options<scalar_of<MA>>& options) noexcept {
  static_assert(view_of<MA>::rows == M && view_of<MA>::cols == N,
                "lowrank::problems::robust: the mask must have the dimensions of A");
  static_assert(!std::is_const_v<typename view_of<MA>::element_type>,
                "lowrank::problems::robust: a partially observed A must be writable");
  return robust_pca<scalar_of<MA>, M, N>(as_view(a), observed, options);
}

}  // namespace lowrank::problems
