// A problem's units. Every problem works on its data divided by a power of four s close to ||A||_F,
// so that the data, the factors (X / sqrt(s), Y / sqrt(s)) and every loss are of order one whatever
// the units of A: squares neither underflow nor overflow, and a scale-free method runs the same
// iterations on s' A as on A. Powers of two make the change of units exact both ways.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

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

namespace detail {

/// The unsigned integer type of T's bit pattern.
template <class T>
using bits_of = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

/// The largest |v| over runs of values and whether every value was finite, from the bit patterns:
/// for IEEE numbers the order of |v| is the integer order of the pattern without its sign, and Inf
/// and NaN are exactly the patterns from Inf's up. An integer maximum, which vectorizes (a
/// floating-point one would have to keep NaN's order of comparisons and does not).
template <class T>
class magnitude_scan {
  static_assert(std::numeric_limits<T>::is_iec559 && sizeof(T) == sizeof(bits_of<T>),
                "lowrank: the data scan reads IEEE 754 single or double bit patterns");
  using bits = bits_of<T>;

 public:
  void add(const T* values, index count) noexcept {
    constexpr bits magnitude_mask = static_cast<bits>(~bits(0)) >> 1;
    bits largest = largest_;
    for (index i = 0; i < count; ++i) {
      bits pattern;
      LOWRANK_COPY_BYTES(&pattern, values + i, sizeof pattern);
      pattern &= magnitude_mask;
      largest = pattern > largest ? pattern : largest;
    }
    largest_ = largest;
  }
  bool finite() const noexcept { return largest_ < pattern_of(std::numeric_limits<T>::infinity()); }
  /// The largest |v| (meaningful when finite()).
  T largest() const noexcept {
    T value;
    LOWRANK_COPY_BYTES(&value, &largest_, sizeof value);
    return value;
  }

 private:
  static bits pattern_of(T value) noexcept {
    bits pattern;
    LOWRANK_COPY_BYTES(&pattern, &value, sizeof pattern);
    return pattern;
  }
  bits largest_ = 0;
};

}  // namespace detail

/// Passes the entries of a view to `visit(values, count)` in contiguous runs: all at once for a dense
/// view, a row at a time where rows are contiguous, else one by one (the for_each of measure_data).
template <class V, class Visit>
void visit_runs(V a, Visit&& visit) noexcept {
  if (detail::dense(a)) {
    visit(&a(0, 0), V::rows * V::cols);
    return;
  }
  for (index i = 0; i < V::rows; ++i) {
    if (a.rows_contiguous()) {
      visit(&a(i, 0), V::cols);
      continue;
    }
    for (index j = 0; j < V::cols; ++j) visit(&a(i, j), 1);
  }
}

/// Measures the values that `for_each(visit)` passes to `visit(values, count)`, runs of `count`
/// contiguous values (the rows of A, or one observed entry at a time): two passes, the first for
/// finiteness and the largest magnitude, the second for the sum of squares of the values divided by
/// a power of two near that magnitude (as LAPACK's nrm2 scales, but with an exact divisor), so that
/// no square underflows or overflows. out_of_range when
/// ||data||_F is within a factor 2^10 of the largest number of T: the products with A (whose
/// accumulators hold values of the order of ||A||_F before they are brought to problem units) would
/// overflow.
template <class T, class ForEach>
data_measure<T> measure_data(const ForEach& for_each) noexcept {
  data_measure<T> result;
  detail::magnitude_scan<T> scan;
  for_each([&](const T* values, index count) noexcept { scan.add(values, count); });
  const T largest = scan.largest();
  if (!scan.finite()) {
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
  detail::compensated_sum<T> sum;  // each term <= 1
  for_each([&](const T* values, index count) noexcept {
    detail::add_blocked(sum, count, [&](index i) noexcept {
      const T scaled = values[i] * down_first * down_second;
      return scaled * scaled;
    });
  });
  const double sum_of_squares = sum.value();
  const double log2_norm = static_cast<double>(exponent) + 0.5 * std::log2(sum_of_squares);
  if (log2_norm > static_cast<double>(std::numeric_limits<T>::max_exponent - 10)) {
    result.status = status::out_of_range;
    return result;
  }
  result.scale = data_scale<T>::power_of_four(static_cast<int>(std::lround(0.5 * log2_norm)));
  int unit_exponent = 0;
  std::frexp(result.scale.unit, &unit_exponent);  // unit = 2^(unit_exponent - 1)
  result.norm_squared = std::ldexp(sum_of_squares, 2 * (exponent - unit_exponent + 1));
  return result;
}

}  // namespace lowrank
