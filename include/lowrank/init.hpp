// The four initializations of Ward & Kolda, Section 6 (Phi has i.i.d. N(0, 1) entries, a fresh
// draw per factor, from the built-in generator so a seed means the same start on every target):
//
//   proposed     X_0 = A Phi / (sqrt(eta) sqrt(d) C sigma_1)   Y_0 = sqrt(eta) D sigma_1 Phi / sqrt(n)
//   colspan      X_0 = A Phi / (10 sqrt(d))                    Y_0 = Phi / (10 sqrt(n))
//   random       X_0 = Phi / (10 sqrt(m))                      Y_0 = Phi / (10 sqrt(n))
//   random_asym  X_0 = Phi / (sqrt(eta) 10 sqrt(m))            Y_0 = sqrt(eta) Phi / (10 sqrt(n))
//
// The proposed one is unbalanced: X_0 large and in the column span of A, Y_0 tiny. That is what
// gives AGD its linear rate from the first iteration (Theorem 5.1).
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "random/gaussian.hpp"
#include "spectral_norm.hpp"
#include "status.hpp"

namespace lowrank::init {

/// Ward & Kolda's unbalanced initialization (Assumption 2, with the Section 6 scaling).
template <class T>
struct proposed {
  std::uint64_t seed = 1;
  T C = T(4);       ///< Theorem 5.1 needs C >= 4
  T nu = T(1e-10);  ///< D = C nu / 9
  /// sigma_1(A) if known; 0 means estimate it by power iteration.
  T sigma_1 = T(0);
};

/// X_0 in the column span of A, balanced scales.
struct colspan {
  std::uint64_t seed = 1;
};

/// The standard small Gaussian initialization.
struct random {
  std::uint64_t seed = 1;
};

/// Gaussian, with the proposed method's 1/sqrt(eta) vs sqrt(eta) imbalance but not in col(A).
struct random_asym {
  std::uint64_t seed = 1;
};

namespace detail {
template <class T>
T root(index n) noexcept { return static_cast<T>(std::sqrt(static_cast<double>(n))); }

/// X = A Phi * scale, with Phi (n x d) drawn into Y's storage (Y is overwritten next anyway).
template <class T, class MA, class VX, class VY, class Work>
void column_span_sample(const MA& a, VX x, VY y, ::lowrank::random::GaussianGenerator<T>& gaussian, T scale,
                        Work& w) noexcept {
  ::lowrank::random::fill_gaussian(gaussian, y);
  gemm(scale, a, y, T(0), x, w.gemm);
}
}  // namespace detail

/// Sets X_0, Y_0 for `problem` (its matrix() is A) and step `eta`. Returns invalid_argument for a
/// non-positive step or constant, ok otherwise. A is assumed valid (the solver checks it first).
template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status initialize(const proposed<T>& p, const Problem& problem, T eta, MX& x_in, MY& y_in, Work& w) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  if (!(eta > T(0)) || !(p.C > T(0)) || !(p.nu > T(0))) return status::invalid_argument;
  T sigma_1 = p.sigma_1;
  if (!(sigma_1 > T(0))) {  // use column 0 of the gradient buffers as the power iteration's vectors
    sigma_1 = static_cast<T>(estimate_sigma_max(problem.matrix(), column(w.grad_x.view(), 0),
                                                column(w.grad_y.view(), 0), w.gemm));
    if (!(sigma_1 > T(0))) return status::zero_input;
  }
  constexpr index d = decltype(x)::cols;
  constexpr index n = decltype(y)::rows;
  const T sqrt_eta = std::sqrt(eta);
  const T D = p.C * p.nu / T(9);
  ::lowrank::random::GaussianGenerator<T> gaussian(p.seed);
  detail::column_span_sample(problem.matrix(), x, y, gaussian, T(1) / (sqrt_eta * detail::root<T>(d) * p.C * sigma_1), w);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(sqrt_eta * D * sigma_1 / detail::root<T>(n), y);
  return status::ok;
}

template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status initialize(const colspan& c, const Problem& problem, T /*eta*/, MX& x_in, MY& y_in, Work& w) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  detail::column_span_sample(problem.matrix(), x, y, gaussian, T(1) / (T(10) * detail::root<T>(decltype(x)::cols)), w);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(T(1) / (T(10) * detail::root<T>(decltype(y)::rows)), y);
  return status::ok;
}

template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status initialize(const random& c, const Problem&, T /*eta*/, MX& x_in, MY& y_in, Work&) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  ::lowrank::random::fill_gaussian(gaussian, x);
  scale(T(1) / (T(10) * detail::root<T>(decltype(x)::rows)), x);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(T(1) / (T(10) * detail::root<T>(decltype(y)::rows)), y);
  return status::ok;
}

template <class Problem, class MX, class MY, class Work, class T = typename Problem::value_type>
status initialize(const random_asym& c, const Problem&, T eta, MX& x_in, MY& y_in, Work&) noexcept {
  auto x = as_view(x_in);
  auto y = as_view(y_in);
  if (!(eta > T(0))) return status::invalid_argument;
  const T sqrt_eta = std::sqrt(eta);
  ::lowrank::random::GaussianGenerator<T> gaussian(c.seed);
  ::lowrank::random::fill_gaussian(gaussian, x);
  scale(T(1) / (sqrt_eta * T(10) * detail::root<T>(decltype(x)::rows)), x);
  ::lowrank::random::fill_gaussian(gaussian, y);
  scale(sqrt_eta / (T(10) * detail::root<T>(decltype(y)::rows)), y);
  return status::ok;
}

}  // namespace lowrank::init
