// A fixed-capacity line of text with a few appenders: strings, integers, hex, and floats in
// scientific notation. No heap, no stdio (newlib's printf of %f calls malloc), float arithmetic only
// (no soft double on a single-precision FPU). Header-only and target-independent, so it can be tried
// on the host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace firmware {

class Line {
 public:
  static constexpr std::size_t capacity = 160;

  const char* c_str() const noexcept { return buffer_; }
  std::size_t length() const noexcept { return length_; }
  void clear() noexcept {
    length_ = 0;
    buffer_[0] = '\0';
  }

  Line& operator<<(char c) noexcept {
    if (length_ + 1 < capacity) {
      buffer_[length_++] = c;
      buffer_[length_] = '\0';
    }
    return *this;
  }
  Line& operator<<(const char* s) noexcept {
    while (*s != '\0') *this << *s++;
    return *this;
  }
  /// Any integer type of at most 32 bits (index, int, std::uint32_t, ...).
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> &&
                                          !std::is_same_v<I, char>,
                                      int> = 0>
  Line& operator<<(I value) noexcept {
    static_assert(sizeof(I) <= 4, "firmware::Line prints integers of at most 32 bits");
    if constexpr (std::is_signed_v<I>) {
      if (value < 0) {
        *this << '-';
        return append_unsigned(0u - static_cast<std::uint32_t>(value));
      }
    }
    return append_unsigned(static_cast<std::uint32_t>(value));
  }

  /// `value` as 0x followed by `digits` hex digits.
  Line& hex(std::uint32_t value, int digits = 8) noexcept {
    *this << "0x";
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
      *this << "0123456789abcdef"[(value >> shift) & 0xFu];
    }
    return *this;
  }

  /// `value` in scientific notation with `significant` digits (1 to 9): 1.234e-05, -2.000e+00, 0,
  /// nan, inf. Scaling is by repeated float multiplication, so the last digit can be off by one for
  /// very large or small exponents: good enough for a report.
  Line& sci(float value, int significant = 4) noexcept {
    if (value != value) return *this << "nan";
    if (value < 0.0f) {
      *this << '-';
      value = -value;
    }
    if (value > 3.4028235e38f) return *this << "inf";
    if (value == 0.0f) return *this << '0';
    if (significant < 1) significant = 1;
    if (significant > 9) significant = 9;
    std::int32_t exponent = 0;
    while (value >= 10.0f) {
      value /= 10.0f;
      ++exponent;
    }
    while (value < 1.0f) {
      value *= 10.0f;
      --exponent;
    }
    std::uint32_t limit = 1;  // 10^significant
    for (int i = 0; i < significant; ++i) limit *= 10;
    float scaled = value;
    for (int i = 1; i < significant; ++i) scaled *= 10.0f;
    std::uint32_t mantissa = static_cast<std::uint32_t>(scaled + 0.5f);
    if (mantissa >= limit) {  // 9.9996 rounds up to 10.000
      mantissa /= 10;
      ++exponent;
    }
    char digits[9];
    for (int i = significant - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + mantissa % 10);
      mantissa /= 10;
    }
    *this << digits[0];
    if (significant > 1) *this << '.';
    for (int i = 1; i < significant; ++i) *this << digits[i];
    *this << 'e' << (exponent < 0 ? '-' : '+');
    const std::uint32_t magnitude = static_cast<std::uint32_t>(exponent < 0 ? -exponent : exponent);
    if (magnitude < 10) *this << '0';
    return *this << magnitude;
  }

 private:
  Line& append_unsigned(std::uint32_t value) noexcept {
    char digits[10];
    std::size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (n > 0) *this << digits[--n];
    return *this;
  }

  char buffer_[capacity] = {};
  std::size_t length_ = 0;
};

}  // namespace firmware
