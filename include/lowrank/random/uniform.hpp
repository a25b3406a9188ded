// The built-in uniform generator: xoshiro128** 1.1 (Blackman & Vigna), seeded through SplitMix64.
//
// xoshiro128** works on 32-bit words (shifts, rotations, xors and two multiplications by small
// constants), so it is fast on Cortex-M, which has no 64-bit multiply, and its 128-bit state is
// small enough to keep one generator per solver. Everything here is integer arithmetic, and the
// conversions to float/double are exact (at most 24 or 53 significant bits, scaled by a power of
// two), so a seed gives the same bits on x86-64, aarch64, armv7 and Cortex-M.
#pragma once

#include <cstdint>

namespace lowrank::random {

/// Advances a SplitMix64 state by one step and returns its next output (Vigna's splitmix64.c).
/// Used to spread a user seed over the generator state; the output function is a bijection of the
/// state, so consecutive outputs are distinct and nearby seeds give unrelated values.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  state += 0x9E3779B97F4A7C15u;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

/// The float in [0, 1) made of the top 24 bits of `bits`: k / 2^24 for k in 0 .. 2^24 - 1.
constexpr float unit_float_closed_open(std::uint32_t bits) noexcept {
  return static_cast<float>(bits >> 8) * 0x1p-24f;
}

/// The float in (0, 1] made of the top 24 bits of `bits`: (k + 1) / 2^24. Never 0, so its
/// logarithm is finite (what Box-Muller needs).
constexpr float unit_float_open_closed(std::uint32_t bits) noexcept {
  return static_cast<float>((bits >> 8) + 1u) * 0x1p-24f;
}

namespace detail {
/// The 53-bit integer made of the top 27 bits of `high` and the top 26 bits of `low`.
constexpr std::uint64_t top53(std::uint32_t high, std::uint32_t low) noexcept {
  return (static_cast<std::uint64_t>(high >> 5) << 26) | static_cast<std::uint64_t>(low >> 6);
}
}  // namespace detail

/// The double in [0, 1) made of 53 bits of two words: k / 2^53 for k in 0 .. 2^53 - 1.
constexpr double unit_double_closed_open(std::uint32_t high, std::uint32_t low) noexcept {
  return static_cast<double>(detail::top53(high, low)) * 0x1p-53;
}

/// The double in (0, 1] made of 53 bits of two words: (k + 1) / 2^53. Never 0.
constexpr double unit_double_open_closed(std::uint32_t high, std::uint32_t low) noexcept {
  return static_cast<double>(detail::top53(high, low) + 1u) * 0x1p-53;
}

/// xoshiro128**: period 2^128 - 1, 32-bit outputs. Also a UniformRandomBitGenerator, so tests
/// may hand it to standard algorithms; the core uses only the members below.
class Xoshiro128StarStar {
 public:
  using result_type = std::uint32_t;  ///< the type of next_u32() (UniformRandomBitGenerator)

  /// Seeds the 128-bit state with two SplitMix64 outputs. Any seed is fine, 0 included: the two
  /// outputs are distinct (SplitMix64 is a bijection of distinct states), so the state is never
  /// all-zero, which is the one state xoshiro cannot leave.
  explicit constexpr Xoshiro128StarStar(std::uint64_t seed) noexcept {
    std::uint64_t mixer = seed;
    const std::uint64_t first = splitmix64(mixer);
    const std::uint64_t second = splitmix64(mixer);
    // Split by shifts, not memcpy, so the word order does not depend on endianness.
    s_[0] = static_cast<std::uint32_t>(first);
    s_[1] = static_cast<std::uint32_t>(first >> 32);
    s_[2] = static_cast<std::uint32_t>(second);
    s_[3] = static_cast<std::uint32_t>(second >> 32);
  }

  /// The next 32 uniformly distributed bits (the reference xoshiro128** 1.1 step).
  constexpr std::uint32_t next_u32() noexcept {
    const std::uint32_t result = rotl(s_[1] * 5u, 7) * 9u;
    const std::uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 11);
    return result;
  }

  /// A float in [0, 1) with 24 random bits (one draw).
  constexpr float uniform_float_closed_open() noexcept { return unit_float_closed_open(next_u32()); }
  /// A float in (0, 1] with 24 random bits (one draw).
  constexpr float uniform_float_open_closed() noexcept { return unit_float_open_closed(next_u32()); }

  /// A double in [0, 1) with 53 random bits (two draws; the first gives the high bits).
  constexpr double uniform_double_closed_open() noexcept {
    const std::uint32_t high = next_u32();
    return unit_double_closed_open(high, next_u32());
  }
  /// A double in (0, 1] with 53 random bits (two draws; the first gives the high bits).
  constexpr double uniform_double_open_closed() noexcept {
    const std::uint32_t high = next_u32();
    return unit_double_open_closed(high, next_u32());
  }

  /// Same as next_u32(): the UniformRandomBitGenerator interface.
  constexpr result_type operator()() noexcept { return next_u32(); }
  /// The smallest value next_u32() returns.
  static constexpr result_type min() noexcept { return 0u; }
  /// The largest value next_u32() returns.
  static constexpr result_type max() noexcept { return 0xFFFFFFFFu; }

 private:
  static constexpr std::uint32_t rotl(std::uint32_t x, int k) noexcept {
    return (x << k) | (x >> (32 - k));
  }

  std::uint32_t s_[4]{};
};

}  // namespace lowrank::random
