// The four initializations of Ward & Kolda, Section 6 (Phi has i.i.d. N(0, 1) entries, a fresh
// draw per factor, from the built-in generator so a seed means the same start on every target):
//
//   proposed     X_0 = A Phi / (sqrt(eta) sqrt(d) C sigma_1)   Y_0 = sqrt(eta) D sigma_1 Phi / sqrt(n)
//   colspan      X_0 = A Phi / (10 sqrt(d))                    Y_0 = Phi / (10 sqrt(n))
//   random       X_0 = Phi / (10 sqrt(m))                      Y_0 = Phi / (10 sqrt(n))
//   random_asym  X_0 = Phi / (sqrt(eta) 10 sqrt(m))            Y_0 = sqrt(eta) Phi / (10 sqrt(n))
//
// The proposed one is unbalanced: X_0 large and in the column span of A, Y_0 tiny. That is what
// gives AGD its linear rate from the first iteration (Theorem 5.1). Plus Nystrom, for ScaledGD and
// PrecGD. The last three are the paper's formulas for ||A||_F = 1 (its experiments' scale): they are
// applied to A / ||A||_F and both factors multiplied by ||A||_F^(1/2), so that every start scales with
// A as the iterates do and a start means the same for A as for any multiple of A. The contract is
// contracts/initialization.hpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "contracts/initialization.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "kernels/small.hpp"
#include "linalg/householder_qr.hpp"
#include "random/gaussian.hpp"
#include "spectral_norm.hpp"
#include "status.hpp"

namespace lowrank::init {

/// Ward & Kolda's unbalanced initialization (Assumption 2, with the Section 6 scaling).
/// Write it init::proposed<float>{...}: T is not deduced from a braced list.
template <class T>
struct proposed {
  using value_type = T;  ///< the scalar type: the problem's
  /// Samples A's column span: the problem must offer data_times and data_transpose_times.
  static constexpr bool needs_data_products = true;
  static constexpr bool tiny_product = true;  ///< X_0 Y_0^T = O(nu) A
  std::uint64_t seed = 1;  ///< seed of the Gaussian draws (Phi): the same start on every target
  T C = T(4);       ///< Theorem 5.1 needs C >= 4
  T nu = T(1e-10);  ///< D = C nu / 9
  /// sigma_1(A) in A's units if known; 0 means estimate it by power iteration.
  T sigma_1 = T(0);

  /// invalid_argument unless C > 0, nu > 0 and sigma_1 >= 0, all finite.
  status validate() const noexcept {
    const bool ok = C > T(0) && std::isfinite(C) && nu > T(0) && std::isfinite(nu) && sigma_1 >= T(0) &&
                    std::isfinite(sigma_1);
    return ok ? status::ok : status::invalid_argument;
  }
};

/// X_0 in the column span of A, balanced scales.
struct colspan {
  /// Samples A's column span: the problem must offer data_times and data_transpose_times.
  static constexpr bool needs_data_products = true;
  std::uint64_t seed = 1;  ///< seed of the Gaussian draws (Phi): the same start on every target
  /// Always ok: there is no parameter to be out of range.
  status validate() const noexcept { return status::ok; }
};

/// The standard small Gaussian initialization.
struct random {
  std::uint64_t seed = 1;  ///< seed of the Gaussian draws (Phi): the same start on every target
  /// Always ok: there is no parameter to be out of range.
  status validate() const noexcept { return status::ok; }
};

/// Gaussian, with the proposed method's 1/sqrt(eta) vs sqrt(eta) imbalance but not in col(A).
struct random_asym {
  std::uint64_t seed = 1;  ///< seed of the Gaussian draws (Phi): the same start on every target
  /// Always ok: there is no parameter to be out of range.
  status validate() const noexcept { return status::ok; }
};

namespace detail {
template <class T>
T root(index n) noexcept { return static_cast<T>(std::sqrt(static_cast<double>(n))); }

/// sqrt(||A / s||_F). The Gaussian starts are written for data of unit norm; applied to A / ||A||_F
/// and both factors multiplied by this, they scale with A as AGD's iterates do (X, Y -> sqrt(c) X,
/// sqrt(c) Y for c A), so that AGD and GD with a relative step run the same iterations at any scale.
template <class T, class Problem>
T data_root(const Problem& problem) noexcept {
  return static_cast<T>(std::sqrt(std::sqrt(problem.norm_squared())));
}

/// X = (A / s) Phi * scale, with Phi (n x d) drawn into Y's storage (Y is overwritten next anyway).
template <class T, class Problem, class VX, class VY, class Work>
void column_span_sample(const Problem& problem, VX x, VY y, ::lowrank::random::GaussianGenerator<T>& gaussian,
                        T scale, Work& w) noexcept {
  ::lowrank::random::fill_gaussian(gaussian, y);
  problem.data_times(scale, y, x, w);
}
}  // namespace detail

// Each `start` below sets X_0, Y_0 in problem units for a validated problem and a step `eta` in
// problem units (the method's state.step); lowrank::solve calls them, init::initialize wraps them.

/// Ward & Kolda's start. invalid_argument for a non-positive step; zero_input if sigma_1 estimates
/// as 0. Nothing is written before sigma_1 is known.
template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status start(const proposed<T>& p, const Problem& problem, T eta, MX& x_in, MY& y_in, Work& w) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  if (!(eta > T(0)) || !std::isfinite(eta)) return status::invalid_argument;
  T sigma_1 = p.sigma_1 * problem.scale().inverse;
  if (!(sigma_1 > T(0))) {
    sigma_1 = static_cast<T>(estimate_data_sigma_max(problem, w, scale_estimate));
    if (!(sigma_1 > T(0)) || !std::isfinite(sigma_1)) return status::zero_input;
  }
  constexpr index d = decltype(x)::cols;
  constexpr index n = decltype(y)::rows;
  const T sqrt_eta = std::sqrt(eta);
  const T D = p.C * p.nu / T(9);
  ::lowrank::random::GaussianGenerator<T> gaussian(p.seed);
  detail::column_span_sample(problem, x, y, gaussian, T(1) / (sqrt_eta * detail::root<T>(d) * p.C * sigma_1), w);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(sqrt_eta * D * sigma_1 / detail::root<T>(n), y);
  return status::ok;
}

/// The colspan start (table above); always ok.
template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status start(const colspan& c, const Problem& problem, T /*eta*/, MX& x_in, MY& y_in, Work& w) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  const T nu = detail::data_root<T>(problem);
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  detail::column_span_sample(problem, x, y, gaussian, T(1) / (nu * T(10) * detail::root<T>(decltype(x)::cols)), w);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(nu / (T(10) * detail::root<T>(decltype(y)::rows)), y);
  return status::ok;
}

/// The random start (table above); always ok.
template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status start(const random& c, const Problem& problem, T /*eta*/, MX& x_in, MY& y_in, Work&) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  const T nu = detail::data_root<T>(problem);
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  ::lowrank::random::fill_gaussian(gaussian, x);
  scale(nu / (T(10) * detail::root<T>(decltype(x)::rows)), x);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(nu / (T(10) * detail::root<T>(decltype(y)::rows)), y);
  return status::ok;
}

/// The random_asym start (table above); invalid_argument for a non-positive or non-finite step.
template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status start(const random_asym& c, const Problem& problem, T eta, MX& x_in, MY& y_in, Work&) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  if (!(eta > T(0)) || !std::isfinite(eta)) return status::invalid_argument;
  // For A / ||A||_F the step is eta ||A||_F; times data_root in both factors, X keeps 1 / sqrt(eta)
  // and Y gains ||A||_F.
  const T nu = detail::data_root<T>(problem);
  const T sqrt_eta = std::sqrt(eta);
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  ::lowrank::random::fill_gaussian(gaussian, x);
  scale(T(1) / (sqrt_eta * T(10) * detail::root<T>(decltype(x)::rows)), x);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(nu * nu * sqrt_eta / (T(10) * detail::root<T>(decltype(y)::rows)), y);
  return status::ok;
}

/// Nystrom initialization (Li, Zhang, Mokhtari & He), for ScaledGD and PrecGD: X_0 spans A Omega (Omega
/// n x d Gaussian), Y_0 = 0, then the first preconditioned Y step from Y_0 = 0 with eta = 1,
///   Y_1 = A^T X_0 (X_0^T X_0)^-1,   so   X_0 Y_1^T = X_0 (X_0^T X_0)^-1 X_0^T A,
/// the projection of A onto col(A Omega): exact (to rounding) when d >= rank A. For a symmetric problem
/// (A ~ X X^T, A PSD) the same sample gives the classical Nystrom approximation
///   X_0 X_0^T = A Omega (Omega^T A Omega)^-1 Omega^T A.
struct nystrom {
  /// Samples A's column span: the problem must offer data_times and data_transpose_times.
  static constexpr bool needs_data_products = true;
  /// With d >= rank A the start is the answer: the solver measures it exactly before any gradient.
  static constexpr bool start_may_be_exact = true;
  std::uint64_t seed = 1;  ///< seed of the Gaussian draw (Omega): the same start on every target
  /// Always ok: there is no parameter to be out of range.
  status validate() const noexcept { return status::ok; }
};

namespace detail {
/// X := X c, Y := Y / c with c = sqrt(||Y||_F / ||X||_F): equal norms, the same X Y^T.
template <class VX, class VY>
void balance(VX x, VY y) noexcept {
  using T = typename VX::value_type;
  const double ratio = std::sqrt(frobenius_inner(y, y) / frobenius_inner(x, x));
  if (!(ratio > 0.0) || !std::isfinite(ratio)) return;  // Y = 0: nothing to balance
  const T c = static_cast<T>(std::sqrt(ratio));
  scale(c, x);
  scale(T(1) / c, y);
}
}  // namespace detail

/// Nystrom for X Y^T problems, through an orthonormal basis: X_0 = Q with A Omega = Q R (Householder
/// QR), so X_0^T X_0 = I and Y_1 = A^T Q, X_0 Y_1^T = Q Q^T A. The same projection as the normal
/// equations above, without their conditioning: exact to rounding also when d > rank A (A Omega
/// rank-deficient: the columns of Q beyond its rank are zeroed) and one pass over A for Y. Both
/// factors are then rescaled to equal norms (X Y^T unchanged; PrecGD's damping assumes balanced
/// factors).
template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status start(const nystrom& c, const Problem& problem, T /*eta*/, MX& x_in, MY& y_in, Work& w) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  constexpr index m = decltype(x)::rows;
  constexpr index d = decltype(x)::cols;
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  detail::column_span_sample(problem, x, y, gaussian, T(1), w);  // A Omega
  const linalg::column_major<T, m, d> qr{w.grad_x.data()};      // grad_x's storage, column by column
  const auto tau = block<0, 0, d, 1>(w.gram_x.view());
  copy(x, qr.view());
  linalg::householder_qr(qr, tau, linalg::column_order::largest_first);
  // Where R's diagonal (decreasing: pivoted) is at the rounding level of A Omega (d > rank A), Q's
  // column spans only noise: it is left out (zero), so that X_0 stays in col(A) as A Omega does.
  T largest = T(0);
  for (index k = 0; k < d; ++k) largest = std::fabs(qr(k, k)) > largest ? std::fabs(qr(k, k)) : largest;
  const T noise = static_cast<T>(m) * std::numeric_limits<T>::epsilon() * largest;
  bool kept[d];
  for (index k = 0; k < d; ++k) kept[k] = std::fabs(qr(k, k)) > noise;
  linalg::form_householder_q(qr, tau);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < d; ++j) x(i, j) = kept[j] ? qr(i, j) : T(0);
  problem.data_transpose_times(T(1), x, y, w);  // Y_1 = A^T Q
  detail::balance(x, y);
  return status::ok;
}

/// Nystrom for symmetric problems (problems::symmetric, A PSD): X_0 = A Omega L^-T with
/// L L^T = Omega^T A Omega (Cholesky), so X_0 X_0^T is the Nystrom approximation, exact (to rounding)
/// when d >= rank A. With d > rank A, Omega^T A Omega is singular and is damped at its rounding level;
/// that costs accuracy in float (relative error ~1e-9 rather than ~1e-12 for d = 2 rank A).
template <class Problem, class MX, class Work, class T = typename Problem::value_type>
status start(const nystrom& c, const Problem& problem, T /*eta*/, MX& x_in, Work& w) noexcept {
  auto x = as_view(x_in);
  constexpr index d = decltype(x)::cols;
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  ::lowrank::random::fill_gaussian(gaussian, w.grad_x);       // Omega
  problem.data_times(T(1), w.grad_x, x, w);                    // A Omega
  gemm(T(1), transpose(w.grad_x.view()), x, T(0), w.gram_x, w.gemm);  // Omega^T A Omega
  damped_cholesky_factor(w.gram_x, T(0), w.factor);            // L
  copy(x, w.grad_x);
  cholesky_solve_rows(w.factor, w.grad_x);  // A Omega (L L^T)^-1; times L below gives A Omega L^-T
  for (index i = 0; i < d; ++i)
    for (index j = i + 1; j < d; ++j) w.factor(i, j) = T(0);  // L as a full matrix for the product
  gemm(T(1), w.grad_x, w.factor, T(0), x, w.gemm);
  return status::ok;
}

/// Sets X and Y (the user's units) for `problem` with `init` and a step eta in A's units (used by
/// proposed and random_asym): validates the initialization and the problem first (writing nothing
/// when either fails; zeros for zero_input), then writes the start. Returns ok or why not.
template <class Init, class Problem, class MX, class MY, class Work, class = view_of<MY>>
status initialize(const Init& init, Problem& problem, typename Problem::value_type eta, MX& x_in, MY& y_in,
                  Work& w) noexcept {
  if constexpr (contracts::check_initialization<Init, Problem, Work>()) {
    using T = typename Problem::value_type;
    status result = init.validate();
    if (result == status::ok) result = problem.validate();
    if (result == status::ok) result = contracts::prepare(problem, w);
    if (result == status::zero_input) {
      fill(x_in, T(0));
      fill(y_in, T(0));
    }
    if (result != status::ok) return result;
    result = start(init, problem, eta * problem.scale().unit, x_in, y_in, w);
    if (result != status::ok) return result;
    scale(problem.scale().root, x_in);
    scale(problem.scale().root, y_in);
    return status::ok;
  } else {
    return status::invalid_argument;
  }
}

/// The same for a symmetric problem (X X^T).
template <class Init, class Problem, class MX, class Work>
status initialize(const Init& init, Problem& problem, typename Problem::value_type eta, MX& x_in, Work& w) noexcept {
  if constexpr (contracts::check_initialization<Init, Problem, Work>()) {
    using T = typename Problem::value_type;
    status result = init.validate();
    if (result == status::ok) result = problem.validate();
    if (result == status::ok) result = contracts::prepare(problem, w);
    if (result == status::zero_input) fill(x_in, T(0));
    if (result != status::ok) return result;
    result = start(init, problem, eta * problem.scale().unit, x_in, w);
    if (result == status::ok) scale(problem.scale().root, x_in);
    return result;
  } else {
    return status::invalid_argument;
  }
}

}  // namespace lowrank::init
