// The fuzzers' input decoder: turns libFuzzer's bytes into choices, matrix entries and parameters.
// Choices and parameters are read from the front, matrix entries from the back, so that a short
// input already chooses among methods and initializations (its entries then read 0), and a mutation
// of one kind does not shift the other. Once the two ends meet every read gives 0, so any byte
// string (the empty one too) is a valid input. Entries are small integers times a power of two chosen per matrix, so
// that ties, exact zeros, exact low rank and every exponent of the scalar type are all easy to reach;
// NaN, Inf and the extremes are reachable but rare (one escape byte), so most inputs get past
// validation.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <lowrank/config.hpp>

namespace lowrank::fuzz {

class fuzz_input {
 public:
  fuzz_input(const std::uint8_t* data, std::size_t size) noexcept : data_(data), back_(size) {}

  /// The next byte from the front, 0 once the ends meet.
  std::uint8_t byte() noexcept { return front_ < back_ ? data_[front_++] : std::uint8_t{0}; }
  /// The next byte from the back (matrix entries and their units), 0 once the ends meet.
  std::uint8_t data_byte() noexcept { return front_ < back_ ? data_[--back_] : std::uint8_t{0}; }
  /// A choice among `count` alternatives.
  index choice(index count) noexcept { return static_cast<index>(byte()) % count; }
  /// A 64-bit seed from two bytes (enough variety for the generators' streams).
  std::uint64_t seed() noexcept { return 1u + byte() + 256u * byte(); }

  /// A power of two 2^k with k spread over T's whole exponent range (one byte; 0 gives 1).
  template <class T>
  T scale() noexcept {
    const int k = static_cast<int>(static_cast<std::int8_t>(data_byte()));
    const int range = std::numeric_limits<T>::max_exponent;
    return std::ldexp(T(1), k * range / 128);
  }

  /// One matrix entry times `unit`: a small integer / 16, or, after the escape byte -128, a special
  /// value (NaN, +-Inf, the largest, the smallest normal and subnormal, -0).
  template <class T>
  T entry(T unit) noexcept {
    const auto b = static_cast<std::int8_t>(data_byte());
    if (b != -128) return static_cast<T>(b) / T(16) * unit;
    switch (data_byte() % 8) {
      case 0: return std::numeric_limits<T>::quiet_NaN();
      case 1: return std::numeric_limits<T>::infinity();
      case 2: return -std::numeric_limits<T>::infinity();
      case 3: return std::numeric_limits<T>::max();
      case 4: return std::numeric_limits<T>::min();
      case 5: return std::numeric_limits<T>::denorm_min();
      case 6: return -T(0);
      default: return -std::numeric_limits<T>::max();
    }
  }

  /// A parameter near `usual`: mostly `usual` itself, often a power-of-two multiple of it, and
  /// sometimes a value out of range (0, negative, NaN, Inf, subnormal, huge).
  template <class T>
  T parameter(T usual) noexcept {
    const std::uint8_t b = byte();
    if (b < 128) return usual;
    if (b < 240) return usual * std::ldexp(T(1), (static_cast<int>(b) - 184) / 4);
    switch (b) {
      case 240: return T(0);
      case 241: return -usual;
      case 242: return std::numeric_limits<T>::quiet_NaN();
      case 243: return std::numeric_limits<T>::infinity();
      case 244: return -std::numeric_limits<T>::infinity();
      case 245: return std::numeric_limits<T>::denorm_min();
      case 246: return std::numeric_limits<T>::max();
      default: return usual * (T(1) + static_cast<T>(b - 247) / T(8));
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t front_ = 0;
  std::size_t back_;
};

}  // namespace lowrank::fuzz
