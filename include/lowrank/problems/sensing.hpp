// Matrix sensing (the setting of Zhang, Fattahi & Zhang): recover a symmetric low-rank M* (n x n) from
// p linear measurements b_i = <S_i, M*>, by factoring M ~ X X^T (X n x d) and minimizing
//   f(X) = 1/2 sum_i (<S_i, X X^T> - b_i)^2 = 1/2 ||A(X X^T) - b||^2,
//   grad f(X) = 2 A*(A(X X^T) - b) X = 2 sum_i r_i S_i X,   r = A(X X^T) - b,
// with A(M)_i = <S_i, M> and its adjoint A*(r) = sum_i r_i S_i.
//
// The sensing matrices are never stored: they are regenerated, in the same order, from a seed by the
// built-in generator on every pass (p n (n + 1) / 2 Gaussian draws). Storing them would take p n^2
// scalars (p = 5 n r is already 5 r n^3), far beyond a microcontroller's RAM for any useful n, while
// regenerating costs only time. Each entry is used as it is drawn, so no n x n buffer exists either:
//   A(X X^T)_i = <S_i X, X>,  and  S_i X  (n x d) is accumulated entry by entry of S_i,
// which also gives the gradient's term 2 r_i S_i X in the same pass. The only scratch is that n x d
// product (SensingWorkspace::sensing_times_x): RAM beyond the symmetric workspace is n d scalars.
//
// The S_i are symmetric Gaussian (GOE-like): S_i(j, j) ~ N(0, 1/p), S_i(j, l) = S_i(l, j) ~
// N(0, 1/(2p)) for j < l, independent. Then E ||A(M)||^2 = ||M||_F^2 for every symmetric M (A is an
// isometry in expectation), so sqrt(f) ~ ||X X^T - M*||_F / sqrt(2) and PrecGD's default damping
// lambda = sqrt(f) is the paper's choice. Symmetric S_i lose nothing: <S, M> for a symmetric M only
// sees the symmetric part of S.
//
// The driver's relative error is 2 f / norm_squared() = ||A(X X^T) - b||^2 / ||b||^2, measured in the
// data; the recovery error ||X X^T - M*||_F / ||M*||_F is for the caller to check if M* is known.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "../kernels/elementwise.hpp"
#include "../data_scale.hpp"
#include "../matrix.hpp"
#include "../random/gaussian.hpp"
#include "../status.hpp"
#include "../workspace.hpp"

namespace lowrank {

namespace problems {

/// Matrix sensing, f(X) = 1/2 ||A(X X^T) - b||^2 with P Gaussian measurements of a symmetric N x N
/// matrix, for the methods with a symmetric form (lowrank::solve_symmetric); needs a
/// SensingWorkspace; made by problems::sensing<n>(seed, b).
template <class T, index N, index P>
class gaussian_sensing {
 public:
  using value_type = T;                     ///< the scalar type, float or double
  static constexpr index rows = N;          ///< n, the rows of M*
  static constexpr index cols = N;          ///< n, the columns of M*
  static constexpr index measurements = P;  ///< p, the number of measurements b_i

  /// The workspace must be a SensingWorkspace (contracts/problem.hpp: accepts_workspace).
  template <class Work>
  static constexpr bool accepts_workspace() noexcept {
    constexpr bool ok = std::is_base_of_v<SensingWorkspace<T, N, Work::rank>, Work>;
    static_assert(ok, "lowrank::problems::sensing needs a lowrank::SensingWorkspace<T, n, d> (the S_i X scratch)");
    return ok;
  }

  /// The operator with sensing matrices drawn from `seed`, and the measurements b (p x 1; they
  /// may be filled later, e.g. by measure(M*, b), and must outlive the problem).
  gaussian_sensing(std::uint64_t seed, View<const T, P, 1> b) noexcept
      : seed_(seed),
        diagonal_scale_(static_cast<T>(1.0 / std::sqrt(static_cast<double>(P)))),
        off_diagonal_scale_(static_cast<T>(1.0 / std::sqrt(2.0 * static_cast<double>(P)))),
        b_(b) {}

  /// Scans b: invalid_input if an entry is NaN or Inf, out_of_range if ||b|| is too large,
  /// zero_input if b == 0 (then X = 0 fits it exactly), else ok. Records the scale (of b, and so of
  /// M*) and ||b / s||^2, the denominator of every relative error.
  status validate() noexcept {
    const auto measured = measure_data<T>([this](auto&& visit) {
      visit_runs(b_, visit);
    });
    scale_ = measured.scale;
    norm_squared_ = measured.norm_squared;
    return measured.status;
  }

  /// ||b / s||^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  /// s and its conversions, once validate() has run.
  const data_scale<T>& scale() const noexcept { return scale_; }
  /// The measurements b (p x 1) as given, in the user's units.
  View<const T, P, 1> measured() const noexcept { return b_; }

  /// out = A(M): out_i = <S_i, M> for any n x n M (only its symmetric part is seen).
  template <class MM, class MB>
  void measure(const MM& m_in, MB&& out_in) const noexcept {
    const auto m = as_view(m_in);
    const auto out = as_view(out_in);
    static_assert(decltype(m)::rows == N && decltype(m)::cols == N && decltype(out)::rows == P &&
                      decltype(out)::cols == 1,
                  "lowrank::problems::gaussian_sensing::measure: M must be n x n and the output p x 1");
    double measurement = 0.0;
    for_each_entry([&](index, index j, index l, T s) { measurement += s * (j == l ? m(j, j) : m(j, l) + m(l, j)); },
                   [&](index i) {
                     out(i, 0) = static_cast<T>(measurement);
                     measurement = 0.0;
                   });
  }

  /// out = A*(r) = sum_i r_i S_i (n x n), for tests and for spectral initializations.
  template <class MR, class MO>
  void adjoint(const MR& r_in, MO&& out_in) const noexcept {
    const auto r = as_view(r_in);
    const auto out = as_view(out_in);
    static_assert(decltype(r)::rows == P && decltype(r)::cols == 1 && decltype(out)::rows == N &&
                      decltype(out)::cols == N,
                  "lowrank::problems::gaussian_sensing::adjoint: r must be p x 1 and the output n x n");
    fill(out, T(0));
    for_each_entry(
        [&](index i, index j, index l, T s) {
          out(j, l) += r(i, 0) * s;
          if (j != l) out(l, j) += r(i, 0) * s;
        },
        [](index) {});
  }

  /// S_i itself (n x n), regenerated: for tests and inspection (a full pass over the stream).
  template <class MS>
  void sensing_matrix(index i, MS&& out_in) const noexcept {
    const auto out = as_view(out_in);
    for_each_entry(
        [&](index k, index j, index l, T s) {
          if (k == i) out(j, l) = out(l, j) = s;
        },
        [](index) {});
  }

  /// grad = 2 sum_i r_i S_i X with r = A(X X^T) - b / s (problem units), in one pass over the S_i (w.sensing_times_x
  /// holds S_i X while measurement i is accumulated); returns f(X) = 1/2 ||r||^2. gram_x is unused.
  template <class MX, class MG, class MGrad, class Work>
  double gradient(const MX& x_in, const MG& /*gram_x*/, MGrad& grad, Work& w) const noexcept {
    const auto x = as_view(x_in);
    const auto s_x = w.sensing_times_x.view();
    fill(grad, T(0));
    fill(s_x, T(0));
    double loss = 0.0;
    for_each_entry(
        [&](index, index j, index l, T s) {  // S_i X, one entry of S_i (and its mirror) at a time
          axpy(s, row(x, l), row(s_x, j));
          if (j != l) axpy(s, row(x, j), row(s_x, l));
        },
        [&](index i) {
          const double residual = frobenius_inner(s_x, x) - static_cast<double>(b_(i, 0) * scale_.inverse);
          loss += 0.5 * residual * residual;
          axpy(static_cast<T>(2.0 * residual), s_x, grad);
          fill(s_x, T(0));
        });
    return loss;
  }

  /// ||A(X X^T) - b / s||^2 (= 2 f(X)), computed directly with no scratch at all: each measurement
  /// is sum_{j <= l} S_i(j, l) (2 - [j = l]) <x_j, x_l> over the rows x_j of X.
  template <class MX, class Work>
  double residual_norm_squared(const MX& x_in, Work& /*w*/) const noexcept {
    const auto x = as_view(x_in);
    double total = 0.0;
    double measurement = 0.0;
    for_each_entry(
        [&](index, index j, index l, T s) {
          const double rows_inner = frobenius_inner(row(x, j), row(x, l));
          measurement += static_cast<double>(s) * (j == l ? rows_inner : 2.0 * rows_inner);
        },
        [&](index i) {
          const double residual = measurement - static_cast<double>(b_(i, 0) * scale_.inverse);
          total += residual * residual;
          measurement = 0.0;
        });
    return total;
  }

 private:
  /// The one place the S_i exist: calls entry(i, j, l, S_i(j, l)) for every measurement i and every
  /// upper-triangle entry j <= l, drawn from the seed in a fixed order, then end_of_measurement(i).
  template <class Entry, class EndOfMeasurement>
  void for_each_entry(Entry&& entry, EndOfMeasurement&& end_of_measurement) const noexcept {
    random::GaussianGenerator<T> gaussian(seed_);
    for (index i = 0; i < P; ++i) {
      for (index j = 0; j < N; ++j) {
        entry(i, j, j, diagonal_scale_ * gaussian.next());
        for (index l = j + 1; l < N; ++l) entry(i, j, l, off_diagonal_scale_ * gaussian.next());
      }
      end_of_measurement(i);
    }
  }

  std::uint64_t seed_;
  T diagonal_scale_;
  T off_diagonal_scale_;
  View<const T, P, 1> b_;
  data_scale<T> scale_;
  double norm_squared_ = 0.0;
};

/// Matrix sensing of an n x n symmetric matrix from the measurements b (p x 1; T and p from b),
/// sensing matrices drawn from `seed`: problems::sensing<n>(seed, b).
template <index N, class MB>
gaussian_sensing<scalar_of<const MB>, N, view_of<const MB>::rows> sensing(std::uint64_t seed, const MB& b) noexcept {
  static_assert(view_of<const MB>::cols == 1, "lowrank::problems::sensing: b must be a p x 1 column");
  return gaussian_sensing<scalar_of<const MB>, N, view_of<const MB>::rows>(seed, as_view(b));
}

}  // namespace problems
}  // namespace lowrank
