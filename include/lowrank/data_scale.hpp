// A problem's units. Every problem works on its data divided by a power of four s close to ||A||_F,
// so that the data, the factors (X / sqrt(s), Y / sqrt(s)) and every loss are of order one whatever
// the units of A: squares neither underflow nor overflow, and a scale-free method runs the same
// iterations on s' A as on A. Powers of two make the change of units exact both ways.
#pragma once

#include <cmath>
#include <limits>

#include "config.hpp"
#include "kernels/elementwise.hpp"
#include "status.hpp"

namespace lowrank {

/// s = 4^k and the factors that convert to and from a problem's units (all exact powers of two).
template <class T>
struct data_scale {
  T unit = T(1);          ///< s: data in problem units is data / s
  T inverse = T(1);       ///< 1 / s
  T root = T(1);          ///< sqrt(s): factors in problem units are factors / sqrt(s)
  T inverse_root = T(1);  ///< 1 / sqrt(s)

  /// The scale 4^k, with k clamped so that all four factors are normal numbers.
  static data_scale power_of_four(int k) noexcept {
    constexpr int limit = (std::numeric_limits<T>::max_exponent - 4) / 2;
    k = k < -limit ? -limit : (k > limit ? limit : k);
    return {std::ldexp(T(1), 2 * k), std::ldexp(T(1), -2 * k), std::ldexp(T(1), k), std::ldexp(T(1), -k)};
  }
};

/// What a scan of a problem's data found: finite or not, zero or not, its scale and its squared norm
/// in problem units.
template <class T>
struct data_measure {
  lowrank::status status = lowrank::status::ok;  ///< invalid_input, out_of_range, zero_input or ok
  data_scale<T> scale;  ///< s = 4^k near ||data||_F when status is ok; s = 1 otherwise
  double norm_squared = 0.0;  ///< ||data / s||^2
};

/// Measures the values that `for_each(visit)` passes to `visit(v)` (the entries of A, or only the
/// observed ones): two passes, the first for finiteness and the largest magnitude, the second for the
/// sum of squares of the values divided by a power of two near that magnitude (as LAPACK's nrm2
/// scales, but with an exact divisor), so that no square underflows or overflows. out_of_range when
/// ||data||_F is within a factor 2^10 of the largest number of T: the products with A (whose
/// accumulators hold values of the order of ||A||_F before they are brought to problem units) would
/// overflow.
template <class T, class ForEach>
data_measure<T> measure_data(const ForEach& for_each) noexcept {
  data_measure<T> result;
  bool finite = true;
  T largest = T(0);
  for_each([&](T v) noexcept {
    finite = finite && std::isfinite(v);
    const T magnitude = std::fabs(v);
    largest = magnitude > largest ? magnitude : largest;
  });
  if (!finite) {
    result.status = status::invalid_input;
    return result;
  }
  if (largest == T(0)) {
    result.status = status::zero_input;
    return result;
  }
  int exponent = 0;
  std::frexp(largest, &exponent);  // largest = f 2^exponent, f in [1/2, 1)
  // 2^-exponent in two exact factors: for a subnormal largest value it exceeds the largest T.
  const T down_first = std::ldexp(T(1), -exponent / 2);
  const T down_second = std::ldexp(T(1), -exponent - (-exponent / 2));
  detail::compensated_sum<T> sum;  // each term <= 1: the sum is at most the number of values
  for_each([&](T v) noexcept {
    const T scaled = v * down_first * down_second;
    sum.add(scaled * scaled);
  });
  const double log2_norm = static_cast<double>(exponent) + 0.5 * std::log2(sum.value());
  if (log2_norm > static_cast<double>(std::numeric_limits<T>::max_exponent - 10)) {
    result.status = status::out_of_range;
    return result;
  }
  result.scale = data_scale<T>::power_of_four(static_cast<int>(std::lround(0.5 * log2_norm)));
  int unit_exponent = 0;
  std::frexp(result.scale.unit, &unit_exponent);  // unit = 2^(unit_exponent - 1)
  result.norm_squared = std::ldexp(sum.value(), 2 * (exponent - unit_exponent + 1));
  return result;
}

}  // namespace lowrank
