// Standard normal samples by the Box-Muller transform over the built-in uniform generator, and the
// fills that initialize factor matrices with them.
//
// Box-Muller rather than a ziggurat: no tables (flash is scarce on a microcontroller) and no
// rejection loop, so a fill takes a fixed time. Floats are computed in float throughout, because the
// Cortex-M4 FPU is single precision only and a double logarithm there would be emulated, and by the
// library's own polynomials rather than libm (box_muller.hpp), so that array fills vectorize.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "../config.hpp"
#include "../matrix.hpp"
#include "uniform.hpp"

namespace lowrank::random {

template <class T>
class GaussianGenerator;

void fill_gaussian(GaussianGenerator<float>& generator, float* first, index count) noexcept;

namespace detail {
/// detail::box_muller_pair (box_muller.hpp) compiled in src/random/gaussian.cpp, next to the
/// vectorized fill: next() calls this one copy, so that its values do not depend on the flags
/// (FMA contraction, ISA) of the file that calls next(), and a fill matches next() bit for bit.
void box_muller_float(float u1, float u2, float& z0, float& z1) noexcept;
}  // namespace detail

/// N(0, 1) samples of type T (float or double). Each Box-Muller step draws u1 in (0, 1] then u2 in
/// [0, 1) (24-bit uniforms for float, 53-bit for double), returns sqrt(-2 ln u1) cos(2 pi u2) and
/// keeps sqrt(-2 ln u1) sin(2 pi u2) for the next call.
template <class T>
class GaussianGenerator {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                "lowrank::random::GaussianGenerator: T must be float or double");

 public:
  using value_type = T;  ///< the type of the samples, float or double

  /// A generator over a fresh Xoshiro128StarStar seeded with `seed`.
  explicit GaussianGenerator(std::uint64_t seed) noexcept : uniform_(seed) {}
  /// A generator that continues from the given uniform generator's state (copied).
  explicit GaussianGenerator(const Xoshiro128StarStar& uniform) noexcept : uniform_(uniform) {}

  /// The next N(0, 1) sample.
  T next() noexcept {
    if (has_cached_) {
      has_cached_ = false;
      return cached_;
    }
    // log(u1) is finite because u1 > 0; u1 = 1 gives radius 0, which is harmless.
    has_cached_ = true;
    if constexpr (std::is_same_v<T, float>) {
      const float u1 = uniform_.uniform_float_open_closed();
      const float u2 = uniform_.uniform_float_closed_open();
      float z0;
      detail::box_muller_float(u1, u2, z0, cached_);
      return z0;
    } else {
      const double u1 = uniform_.uniform_double_open_closed();
      const double u2 = uniform_.uniform_double_closed_open();
      const double radius = std::sqrt(-2.0 * std::log(u1));
      const double angle = two_pi * u2;
      cached_ = radius * std::sin(angle);
      return radius * std::cos(angle);
    }
  }

  /// The underlying uniform generator (its state moves on as samples are drawn).
  Xoshiro128StarStar& uniform() noexcept { return uniform_; }

 private:
  static constexpr T two_pi = T(6.283185307179586476925286766559005768);

  // The float fill draws whole pairs itself and needs to know about a pending cached value.
  friend void fill_gaussian(GaussianGenerator<float>& generator, float* first, index count) noexcept;

  Xoshiro128StarStar uniform_;
  T cached_ = T(0);
  bool has_cached_ = false;
};

// Compiled once in the library (src/random/gaussian.cpp) instead of in every user.
extern template class GaussianGenerator<float>;
extern template class GaussianGenerator<double>;

/// Writes `count` N(0, 1) samples to first[0 .. count - 1], in order: exactly the values (and the
/// final generator state) of `count` calls to next(), computed in vectorized batches.
void fill_gaussian(GaussianGenerator<float>& generator, float* first, index count) noexcept;
/// Writes `count` N(0, 1) samples to first[0 .. count - 1], in order.
void fill_gaussian(GaussianGenerator<double>& generator, double* first, index count) noexcept;

/// Fills a Matrix or View with N(0, 1) samples in row-major order of the view (so a transposed
/// view is filled along the columns of its matrix); each entry is written exactly once.
template <class T, class M>
void fill_gaussian(GaussianGenerator<T>& generator, M&& matrix) noexcept {
  const auto v = as_view(matrix);
  using V = decltype(v);
  static_assert(std::is_same_v<typename V::element_type, T>,
                "lowrank::random::fill_gaussian: the matrix must be writable and of the "
                "generator's scalar type");
  if (v.rows_contiguous() && v.row_stride() == V::cols) {  // one block (an owned matrix): one call,
    fill_gaussian(generator, &v(0, 0), V::rows * V::cols);  // whole batches for the vectorized fill
    return;
  }
  for (index i = 0; i < V::rows; ++i) {
    if (v.rows_contiguous()) {
      fill_gaussian(generator, &v(i, 0), V::cols);
    } else {
      for (index j = 0; j < V::cols; ++j) v(i, j) = generator.next();
    }
  }
}

}  // namespace lowrank::random
