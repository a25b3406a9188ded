// What the solve fuzzers choose from the input bytes: the data, the options, the method and its
// parameters, the initialization (or user-given factors). Each choice hands the chosen object to a
// generic callback, so that one target instantiates every combination once.
#pragma once

#include <lowrank/lowrank.hpp>

#include "fuzz_input.hpp"

namespace lowrank::fuzz {

/// Fills a matrix entry by entry (entries of one power-of-two unit).
template <class T, index R, index C>
void fill_entries(fuzz_input& in, Matrix<T, R, C>& m) noexcept {
  const T unit = in.scale<T>();
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j) m(i, j) = in.entry(unit);
}

/// Data for an m x n problem, one of: entries as given; exactly U V^T of a rank the input picks (small
/// integers, so the products are exact before the power-of-two unit); U V^T plus a few entries
/// overwritten (outliers for robust PCA).
template <class T, index M, index N>
void fill_data(fuzz_input& in, Matrix<T, M, N>& a) noexcept {
  const index mode = in.choice(3);
  if (mode == 0) {
    fill_entries(in, a);
    return;
  }
  constexpr index max_rank = M < N ? M : N;
  const index rank = 1 + in.choice(max_rank);
  const T unit = in.scale<T>();
  Matrix<T, M, max_rank> u;
  Matrix<T, N, max_rank> v;
  fill(u, T(0));
  fill(v, T(0));
  for (index k = 0; k < rank; ++k) {
    for (index i = 0; i < M; ++i) u(i, k) = in.entry(T(1));
    for (index j = 0; j < N; ++j) v(j, k) = in.entry(T(1));
  }
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      T sum = T(0);
      for (index k = 0; k < rank; ++k) sum += u(i, k) * v(j, k);
      a(i, j) = sum * unit;
    }
  if (mode == 2) {
    const index outliers = in.choice(M * N / 4 + 1);
    for (index p = 0; p < outliers; ++p) {
      const index i = in.choice(M), j = in.choice(N);
      a(i, j) = in.entry(unit * T(16));
    }
  }
}

/// The solve options, mostly the defaults, each field sometimes moved or out of range. The iteration
/// cap stays small (at most 1020) so that a run takes milliseconds.
template <class T>
solve_options<T> decode_options(fuzz_input& in) noexcept {
  solve_options<T> o;
  o.target_relative_error = in.parameter(o.target_relative_error);
  o.max_iterations = static_cast<index>(in.byte()) * 4;
  o.stationary_tolerance = in.parameter(o.stationary_tolerance);
  o.stationary_gap = in.parameter(o.stationary_gap);
  const std::uint8_t window = in.byte();
  o.stall_window = window < 128 ? o.stall_window : static_cast<index>(window % 64);
  o.stall_improvement = in.parameter(o.stall_improvement);
  o.divergence_factor = in.parameter(o.divergence_factor);
  o.exact_error_every_iteration = (in.byte() & 1) != 0;
  return o;
}

/// A plain method's step: relative to sigma_1 (the default) or absolute, from the input.
template <class T>
void decode_step(fuzz_input& in, methods::fixed_step<T>& step) noexcept {
  if ((in.byte() & 1) != 0) {
    step.absolute = in.parameter(T(0.1));
  } else {
    step.relative = in.parameter(step.relative);
  }
}

/// Calls f(method) with one of AGD, GD, ScaledGD (simultaneous and alternating), PrecGD (both
/// orders) and, when Feedback, feedback alignment, with parameters from the input.
template <class T, index N, index D, bool Feedback, class F>
void with_method(fuzz_input& in, F&& f) noexcept {
  switch (in.choice(Feedback ? 7 : 6)) {
    case 0: {
      methods::agd<T> m;
      decode_step(in, m.step);
      f(m);
      break;
    }
    case 1: {
      methods::gd<T> m;
      decode_step(in, m.step);
      f(m);
      break;
    }
    case 2: f(methods::scaled_gd<T>(in.parameter(T(0.5)))); break;
    case 3: f(methods::scaled_agd<T>(in.parameter(T(1)))); break;
    case 4: {
      const T eta = in.parameter(T(0.5)), factor = in.parameter(T(1));
      const T floor = (in.byte() & 1) != 0 ? in.parameter(T(1e-3)) : T(0);
      f(methods::precgd<T>(eta, factor, floor));
      break;
    }
    case 5: {
      const T eta = in.parameter(T(0.5)), factor = in.parameter(T(1));
      f(methods::precgd<T, methods::update_order::alternating>(eta, factor));
      break;
    }
    default: {
      if constexpr (Feedback) {
        static methods::feedback_alignment<T, N, D> m;  // static: it holds B (n x d)
        const std::uint64_t seed = in.seed();
        m = methods::feedback_alignment<T, N, D>(T(0), seed);
        decode_step(in, m.step);
        f(m);
      }
      break;
    }
  }
}

/// Stands for "no initialization: solve from the factors the caller filled".
struct user_factors {};

/// Calls f(init) with user_factors or one of the initializations, parameters from the input.
/// Symmetric problems offer only user factors and Nystrom (the others are X Y^T starts).
template <class T, bool Symmetric, class F>
void with_initialization(fuzz_input& in, F&& f) noexcept {
  const index which = in.choice(Symmetric ? 2 : 6);
  if (which == 0) {
    f(user_factors{});
    return;
  }
  if constexpr (Symmetric) {
    f(init::nystrom{in.seed()});
  } else {
    switch (which) {
      case 1: {
        init::proposed<T> p;
        p.seed = in.seed();
        p.C = in.parameter(p.C);
        p.nu = in.parameter(p.nu);
        p.sigma_1 = (in.byte() & 1) != 0 ? in.parameter(T(1)) : T(0);
        f(p);
        break;
      }
      case 2: f(init::colspan{in.seed()}); break;
      case 3: f(init::random{in.seed()}); break;
      case 4: f(init::random_asym{in.seed()}); break;
      default: f(init::nystrom{in.seed()}); break;
    }
  }
}

}  // namespace lowrank::fuzz
