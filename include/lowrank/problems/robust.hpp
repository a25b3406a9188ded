// Robust PCA by gradient descent (Yi, Park, Chen & Caramanis, NeurIPS 2016): A = L + S with L low-rank
// and S sparse (gross outliers at unknown places). L = X Y^T is moved by gradient steps on
//   f(X, Y) = 1/2 ||X Y^T + S - A||_F^2 + (c/4) ||X^T X - Y^T Y||_F^2,
// with the sparse estimate S re-formed at every iterate by the double thresholding operator
//   S = T_alpha(A - X Y^T):  (A - X Y^T)_ij is kept only if it is among the alpha fraction largest
//   in magnitude of its row AND among the alpha fraction largest of its column, 0 elsewhere.
// Outliers are large, so they are found first; requiring both row and column keeps S spread out (at
// most an alpha fraction per row and per column), which is what separates it from a low-rank matrix.
//
// S needs no values of its own. Given its support Gamma, the best S there is (A - X Y^T) on Gamma,
// so the fit term is 1/2 ||P_keep(X Y^T - A)||^2 over the entries outside Gamma: the gradients are
// those of matrix completion with Gamma as the missing entries (problems/masked.hpp), plus balancing:
//   grad_X = P_keep(X Y^T - A) Y + c X (X^T X - Y^T Y)
//   grad_Y = P_keep(X Y^T - A)^T X + c Y (Y^T Y - X^T X).
// At the iterate where Gamma is chosen this is exactly Yi et al.'s step with S_t = T_alpha(A - X_t Y_t^T)
// (their released rpca_gd.m forms E = (A - U V^T) - S the same way); AGD's Y step at X_{t+1} refits S
// on the same support. So S is stored as its support alone, one bit per entry (16 x 128: 256 bytes),
// and its values are read back from A, X and Y (sparse_value, sparse_matrix).
//
// What the driver measures. Leaving an entry out of the fit always lowers the fit term, so fits with
// different supports cannot be compared by it: with noisy data the "best" iterate would be one that
// has set aside more entries than the outliers. With an outlier floor tau > 0 (an entry is never an
// outlier unless |A - X Y^T| > tau there) each entry of S is charged tau^2 instead, and the loss
// reported to the driver is the truncated quadratic
//   g(X, Y) = 1/2 sum_{kept} (X Y^T - A)_ij^2 + 1/2 tau^2 |S|,
// which no longer rewards needless exclusions (a false alarm costs about what fitting it would). Its
// gradient with the support held fixed is that of the fit term. With tau = 0 (default) it is the fit.
//
// The balancing term. It vanishes at every balanced factorization (X^T X = Y^T Y), so it does not move
// the solutions; it only keeps the scales of X and Y equal on the way (the fit term alone is blind to
// X -> X G, Y -> Y G^-T, and an unbalanced pair slows gradient descent). Its weight is not the same
// everywhere. Yi et al.'s released MATLAB code (rpca_gd.m) steps by eta/16 U (U^T U - V^T V) next to
// the fit gradient: c = 1/16, the "(1/16) X (X^T X - Y^T Y)" of ALGORITHMS.md. Read as a loss,
// (1/16)||X^T X - Y^T Y||_F^2 has gradients (1/4) X (X^T X - Y^T Y) and (1/4) Y (Y^T Y - X^T X):
// c = 1/4. Any c > 0 has the same minimizers; a larger c rebalances faster but adds a stiffer term
// to the step bound. Default c = 1/4 (robust_options::balance): on the tests' 100 x 100 problem AGD
// needs 47, 45 and 51 iterations for c = 1/16, 1/4 and 1/2. The tests check the gradients for all c.
//
// Scratch (all inside the problem object, which is therefore large-ish: declare it `static` on a
// microcontroller): the support (m n bits), the column thresholds (n), one residual row (n) and a
// selection buffer (max(m, n)); no m x n matrix of scalars. Per evaluation: two passes over A (one by
// columns for the column thresholds, one by rows for the row thresholds, the support and grad_X),
// each O(m n d), and a selection (nth_element) per row and per column.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "../kernels/elementwise.hpp"
#include "../kernels/gemm.hpp"
#include "../kernels/small.hpp"
#include "../matrix.hpp"
#include "../status.hpp"
#include "masked.hpp"

namespace lowrank::problems {

/// Parameters of robust PCA.
template <class T>
struct robust_options {
  /// alpha: the fraction of each row and of each column that T_alpha may put in S. It must be at
  /// least the true fraction of outliers in every row and column (Yi et al.'s demo script takes 1.5
  /// times the expected fraction), and below 1/2: beyond, the low-rank part is not identifiable. A
  /// generous alpha costs speed: while the fit is rough, T_alpha also sets aside large entries of L.
  T sparse_fraction = T(0.1);
  /// c in (c/4) ||X^T X - Y^T Y||_F^2 (>= 0).
  T balance = T(0.25);
  /// tau: entries of A - X Y^T of magnitude at most tau are never put in S, and each entry of S costs
  /// tau^2 in the measured loss (see the file comment); >= 0. With noisy data set it well above the
  /// noise (5 to 10 standard deviations), so that noise is not mistaken for outliers. 0 (default)
  /// keeps T_alpha as is: once the outliers are fitted exactly, entries at rounding level then fill
  /// the rest of each row's quota (harmless for L; read S back with a tolerance, estimate_sparse).
  T outlier_floor = T(0);
};

/// Robust PCA, A ~ X Y^T + S, for the driver and every method (AGD, GD, ScaledGD, PrecGD). A may also
/// be partially observed (the constructor with a mask): then only observed entries are fitted or
/// can be outliers, and the fractions are of the observed entries of each row and column.
///
/// The driver's relative error is g(X, Y) / g(0, 0) (g the measured loss above; at X = Y = 0, S is
/// T_alpha(A)): relative to the loss of the zero factorization, as for problems::full, so that a
/// target means the same thing whatever the size of the outliers.
///
/// matrix() is A as given (outliers included, unobserved entries zeroed): the initializations that
/// sample the column span of A would see the outliers, so start robust PCA from init::random.
///
/// The sparse estimate is state: gradient_x re-forms it at every evaluation (so gradient_y,
/// loss_from_gradient_x and residual_norm_squared refer to the last X passed to gradient_x), which is
/// why its storage is `mutable`. One problem object serves one solve at a time.
template <class T, index M, index N>
class robust_pca {
 public:
  using value_type = T;
  static constexpr index rows = M;
  static constexpr index cols = N;

  /// Fully observed A (read only; must outlive the problem).
  robust_pca(View<const T, M, N> a, const robust_options<T>& options) noexcept
      : a_(a), writable_(nullptr), observed_(nullptr), options_(options) {}
  /// A observed where `observed` is set; A must be writable (validate() zeroes the unobserved
  /// entries, as problems::masked does) and, like the mask, outlive the problem.
  robust_pca(View<T, M, N> a, const BitMask<M, N>& observed, const robust_options<T>& options) noexcept
      : a_(a), writable_(a.data()), observed_(&observed), options_(options) {}

  /// invalid_argument if an option is out of range (alpha outside [0, 1/2), c or the floor negative
  /// or not finite); invalid_input if an observed entry of A is NaN or Inf; unobservable if a row or
  /// column has no observed entry; else forms S = T_alpha(A) (the estimate at X = Y = 0), records
  /// 2 g(0, 0) for norm_squared() and returns zero_input if A has nothing outside S (X = Y = 0 is then
  /// exact), ok otherwise.
  status validate() noexcept {
    const T alpha = options_.sparse_fraction;
    if (!(alpha >= T(0) && alpha < T(0.5)) || !(options_.balance >= T(0)) || !std::isfinite(options_.balance) ||
        !(options_.outlier_floor >= T(0)) || !std::isfinite(options_.outlier_floor))
      return status::invalid_argument;
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j)
        if (observed(i, j) && !std::isfinite(a_(i, j))) return status::invalid_input;
    if (observed_ != nullptr) {
      if (!observed_->covers_every_row_and_column()) return status::unobservable;
      const View<T, M, N> a(writable_, a_.row_stride(), a_.col_stride());
      for (index i = 0; i < M; ++i)
        for (index j = 0; j < N; ++j)
          if (!observed_->test(i, j)) a(i, j) = T(0);
    }
    const double fit = threshold([this](index i, index j) noexcept { return -a_(i, j); },
                                 [](index, index, T) noexcept {}, options_.outlier_floor);
    norm_squared_ = 2.0 * (fit + outlier_cost());
    return fit == 0.0 ? status::zero_input : status::ok;
  }

  /// 2 g(0, 0): ||A||^2 outside T_alpha(A) plus tau^2 per entry of it, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  /// A as given (unobserved entries zeroed by validate()); see the class comment.
  View<const T, M, N> matrix() const noexcept { return a_; }
  const robust_options<T>& options() const noexcept { return options_; }

  /// Re-forms S = T_alpha(A - X Y^T), then grad = P_keep(X Y^T - A) Y + c X (X^T X - Y^T Y) given
  /// gram_y = Y^T Y (X^T X is formed here). Records g(X, Y) for loss_from_gradient_x.
  template <class MX, class MY, class MG, class MGrad, class Gemm>
  void gradient_x(const MX& x_in, const MY& y_in, const MG& gram_y, MGrad& grad_in, Gemm& gemm_ws) const noexcept {
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    const auto grad = as_view(grad_in);
    constexpr index d = decltype(x)::cols;
    fill(grad, T(0));
    measured_loss_ = threshold(
        [&](index i, index j) noexcept { return dot_rows(x, i, y, j) - a_(i, j); },
        [&](index i, index j, T r) noexcept {
          for (index p = 0; p < d; ++p) grad(i, p) += r * y(j, p);
        },
        options_.outlier_floor);
    measured_loss_ += outlier_cost();
    Matrix<T, d, d> imbalance;  // X^T X - Y^T Y
    gram(x, imbalance, gemm_ws);
    axpy(T(-1), gram_y, imbalance);
    gemm(options_.balance, x, imbalance, T(1), grad, gemm_ws);
  }

  /// grad = P_keep(X Y^T - A)^T X + c Y (Y^T Y - X^T X) given gram_x = X^T X, with the support of S
  /// from the last gradient_x (AGD: S refitted on that support at X_{t+1}).
  template <class MX, class MY, class MG, class MGrad, class Gemm>
  void gradient_y(const MX& x_in, const MY& y_in, const MG& gram_x, MGrad& grad_in, Gemm& gemm_ws) const noexcept {
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    const auto grad = as_view(grad_in);
    constexpr index d = decltype(x)::cols;
    detail::masked_residual_transpose_times_x(kept_entries(), a_, x, y, grad);
    Matrix<T, d, d> imbalance;  // Y^T Y - X^T X
    gram(y, imbalance, gemm_ws);
    axpy(T(-1), gram_x, imbalance);
    gemm(options_.balance, y, imbalance, T(1), grad, gemm_ws);
  }

  /// g(X, Y) = 1/2 ||P_keep(X Y^T - A)||_F^2 + 1/2 tau^2 |S| at the last gradient_x, which computed
  /// it entry by entry. This is what the driver measures (and PrecGD damps with). The balancing term
  /// is left out: it is not an error (it is 0 at every solution and only shapes the path), and with it
  /// a pair that fits A perfectly but is not yet balanced would look unconverged.
  template <class MX, class MGrad, class MG>
  double loss_from_gradient_x(const MX& /*x*/, const MGrad& /*grad_x*/, const MG& /*gram_x*/,
                              const MG& /*gram_y*/) const noexcept {
    return measured_loss_;
  }

  /// The balancing term (c/4) ||X^T X - Y^T Y||_F^2 from the two Gram matrices (for tests and
  /// diagnostics: the fit term plus this is the function whose gradients gradient_x and gradient_y
  /// return, with the support of S held fixed).
  template <class MG>
  double balance_term(const MG& gram_x_in, const MG& gram_y_in) const noexcept {
    const auto gram_x = as_view(gram_x_in);
    const auto gram_y = as_view(gram_y_in);
    double imbalance = 0.0;
    for (index i = 0; i < gram_x.rows; ++i)
      for (index j = 0; j < gram_x.cols; ++j) {
        const double v = static_cast<double>(gram_x(i, j)) - static_cast<double>(gram_y(i, j));
        imbalance += v * v;
      }
    return 0.25 * static_cast<double>(options_.balance) * imbalance;
  }

  /// 2 g(X, Y) exactly: ||A - X Y^T - S||_F^2 over the observed entries, S on the support of the last
  /// gradient_x refitted at (X, Y) (the fit outside the outliers), plus tau^2 per entry of S.
  template <class MX, class MY>
  double residual_norm_squared(const MX& x, const MY& y) const noexcept {
    return detail::masked_residual_norm_squared(kept_entries(), a_, as_view(x), as_view(y)) + 2.0 * outlier_cost();
  }

  /// Re-forms S = T_alpha(A - X Y^T) at the given factors (e.g. those a solve returned, which may be
  /// an earlier iterate than the last one evaluated) and returns the number of its entries.
  template <class MX, class MY>
  index estimate_sparse(const MX& x, const MY& y) noexcept {
    return estimate_sparse(x, y, options_.outlier_floor);
  }
  /// The same with another floor: entries of magnitude at most `tolerance` are left out of S. With
  /// tau = 0 the solver's S also holds entries at rounding level once the outliers are fitted; read it
  /// back with a tolerance well above that level (say 1e-3 of the signal) to get the outliers alone.
  template <class MX, class MY>
  index estimate_sparse(const MX& x_in, const MY& y_in, T tolerance) noexcept {
    const auto x = as_view(x_in);
    const auto y = as_view(y_in);
    threshold([&](index i, index j) noexcept { return dot_rows(x, i, y, j) - a_(i, j); },
              [](index, index, T) noexcept {}, tolerance);
    return support_.count();
  }

  /// The support of S (set: an outlier), as last formed.
  const BitMask<M, N>& support() const noexcept { return support_; }

  /// S_ij = (A - X Y^T)_ij on the support, 0 elsewhere.
  template <class MX, class MY>
  T sparse_value(index i, index j, const MX& x, const MY& y) const noexcept {
    return support_.test(i, j) ? a_(i, j) - dot_rows(as_view(x), i, as_view(y), j) : T(0);
  }

  /// S as a dense m x n matrix (for hosts and plots; the solver never needs it).
  template <class MX, class MY, class MS>
  void sparse_matrix(const MX& x, const MY& y, MS&& s_in) const noexcept {
    const auto s = as_view(s_in);
    static_assert(decltype(s)::rows == M && decltype(s)::cols == N, "lowrank::robust_pca: S must be m x n");
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j) s(i, j) = sparse_value(i, j, x, y);
  }

 private:
  bool observed(index i, index j) const noexcept { return observed_ == nullptr || observed_->test(i, j); }

  auto kept_entries() const noexcept {
    return [this](index i, index j) noexcept { return observed(i, j) && !support_.test(i, j); };
  }

  template <class VX, class VY>
  static T dot_rows(VX x, index i, VY y, index j) noexcept {
    T s = T(0);
    for (index p = 0; p < VX::cols; ++p) s += x(i, p) * y(j, p);
    return s;
  }

  /// floor(alpha count): how many of `count` observed entries T_alpha may keep. The guard absorbs
  /// the rounding of alpha (0.35f is 0.3499999940...).
  index quota(index count) const noexcept {
    const double exact = static_cast<double>(options_.sparse_fraction) * static_cast<double>(count);
    return static_cast<index>(exact + 1e-6 * static_cast<double>(count) + 1e-9);
  }

  /// 1/2 tau^2 |S|: what the entries of S cost in the measured loss g.
  double outlier_cost() const noexcept {
    const double tau = static_cast<double>(options_.outlier_floor);
    return 0.5 * tau * tau * static_cast<double>(support_.count());
  }

  /// The k-th largest of values[0 .. count - 1] (reordered); +infinity for k = 0 (nothing qualifies).
  static T kth_largest(T* values, index count, index k) noexcept {
    if (k == 0 || count == 0) return std::numeric_limits<T>::infinity();
    std::nth_element(values, values + (count - k), values + count);
    return values[count - k];
  }

  /// S = T_alpha(R) for the residual R(i, j) (of either sign; X Y^T - A in the solver), into
  /// support_: entry (i, j) is in S when observed, |R_ij| > floor, and |R_ij| is at least the k-th
  /// largest of its row and of its column. Calls kept(i, j, R_ij) for every other observed entry (the
  /// fitted ones) and returns 1/2 the sum of their R_ij^2.
  template <class Residual, class Kept>
  double threshold(const Residual& residual, const Kept& kept, T floor) const noexcept {
    for (index j = 0; j < N; ++j) {  // column thresholds
      index count = 0;
      for (index i = 0; i < M; ++i)
        if (observed(i, j)) selection_[count++] = std::fabs(residual(i, j));
      column_threshold_[j] = kth_largest(selection_, count, quota(count));
    }
    double total = 0.0;
    for (index i = 0; i < M; ++i) {  // row thresholds, the support and the fitted entries
      index count = 0;
      for (index j = 0; j < N; ++j) {
        row_residual_[j] = observed(i, j) ? residual(i, j) : T(0);
        if (observed(i, j)) selection_[count++] = std::fabs(row_residual_[j]);
      }
      const T row_threshold = kth_largest(selection_, count, quota(count));
      T row_sum = T(0);
      for (index j = 0; j < N; ++j) {
        const T r = row_residual_[j];
        const T magnitude = std::fabs(r);
        const bool outlier = observed(i, j) && magnitude > floor && magnitude >= row_threshold &&
                             magnitude >= column_threshold_[j];
        support_.set(i, j, outlier);
        if (outlier || !observed(i, j)) continue;
        row_sum += r * r;
        kept(i, j, r);
      }
      total += static_cast<double>(row_sum);
    }
    return 0.5 * total;
  }

  View<const T, M, N> a_;
  T* writable_;  ///< A's storage when partially observed (validate() zeroes the unobserved entries)
  const BitMask<M, N>* observed_;  ///< null: every entry observed
  robust_options<T> options_;
  double norm_squared_ = 0.0;
  // The sparse estimate and the thresholding scratch: state re-formed by gradient_x (see above).
  mutable BitMask<M, N> support_;
  mutable T column_threshold_[N] = {};
  mutable T row_residual_[N] = {};
  mutable T selection_[M > N ? M : N] = {};
  mutable double measured_loss_ = 0.0;  ///< g at the last gradient_x
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
