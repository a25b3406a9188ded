// The uniform generator: the bit stream against golden values from the published reference
// algorithms, the exact ranges of the float/double conversions, and the first two moments.
//
// Golden values: the reference C code of splitmix64.c and xoshiro128starstar.c (prng.di.unimi.it),
// seeded as documented in uniform.hpp (state = low, high word of the first SplitMix64 output, then
// of the second), run independently in Python and in C; both gave these numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include <lowrank/random/uniform.hpp>

namespace lowrank::random {
namespace {

constexpr std::uint32_t golden_seed_1[8] = {0x650941BAu, 0x54D30301u, 0x25D2F321u, 0x3FABDCA9u,
                                            0x2AB8E0A6u, 0xF9890067u, 0xE12B0AD9u, 0xA193D86Au};
constexpr std::uint32_t golden_seed_0[8] = {0xDEC9045Du, 0x9A089D75u, 0xAB77D362u, 0xC3E16405u,
                                            0x5C95A8DAu, 0x60DEA056u, 0xC25A5140u, 0xA4290614u};
constexpr std::uint32_t golden_seed_big[8] = {0x3DEC9F5Du, 0xE7CDCD35u, 0xE39F89B5u, 0x13921962u,
                                              0x84618E7Fu, 0xDFDBD178u, 0x67C12E2Au, 0xC2E8BC40u};

constexpr std::uint32_t first_output(std::uint64_t seed) {
  Xoshiro128StarStar g(seed);
  return g.next_u32();
}
// The generator also runs at compile time, which pins the stream independently of the target.
static_assert(first_output(1) == 0x650941BAu, "xoshiro128** stream changed");

TEST(SplitMix64, MatchesPublishedFirstOutput) {
  // The widely quoted first output of splitmix64 from state 0.
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(state, 0x9E3779B97F4A7C15ull);
}

void expect_golden(std::uint64_t seed, const std::uint32_t (&golden)[8]) {
  Xoshiro128StarStar g(seed);
  for (int k = 0; k < 8; ++k) EXPECT_EQ(g.next_u32(), golden[k]) << "seed " << seed << ", draw " << k;
}

TEST(Xoshiro128StarStar, GoldenStreams) {
  expect_golden(1, golden_seed_1);
  expect_golden(0, golden_seed_0);  // seed 0 is valid: the state is not all-zero
  expect_golden(0x0123456789ABCDEFull, golden_seed_big);
}

TEST(Xoshiro128StarStar, SameSeedSameStreamDifferentSeedDifferentStream) {
  Xoshiro128StarStar a(42), b(42), c(43);
  int equal_to_other_seed = 0;
  for (int k = 0; k < 1000; ++k) {
    const std::uint32_t x = a.next_u32();
    ASSERT_EQ(x, b.next_u32());
    if (x == c.next_u32()) ++equal_to_other_seed;
  }
  EXPECT_LE(equal_to_other_seed, 1);  // independent 32-bit words: ~2e-7 coincidences expected
}

TEST(Xoshiro128StarStar, IsAUniformRandomBitGenerator) {
  Xoshiro128StarStar a(7), b(7);
  static_assert(Xoshiro128StarStar::min() == 0u && Xoshiro128StarStar::max() == 0xFFFFFFFFu);
  EXPECT_EQ(a(), b.next_u32());
}

TEST(UnitConversions, EndpointsAreInTheStatedIntervals) {
  constexpr std::uint32_t all = 0xFFFFFFFFu;
  EXPECT_EQ(unit_float_closed_open(0u), 0.0f);
  EXPECT_EQ(unit_float_closed_open(all), 1.0f - 0x1p-24f);
  EXPECT_LT(unit_float_closed_open(all), 1.0f);
  EXPECT_EQ(unit_float_open_closed(0u), 0x1p-24f);
  EXPECT_EQ(unit_float_open_closed(all), 1.0f);
  EXPECT_EQ(unit_double_closed_open(0u, 0u), 0.0);
  EXPECT_EQ(unit_double_closed_open(all, all), 1.0 - 0x1p-53);
  EXPECT_LT(unit_double_closed_open(all, all), 1.0);
  EXPECT_EQ(unit_double_open_closed(0u, 0u), 0x1p-53);
  EXPECT_EQ(unit_double_open_closed(all, all), 1.0);
  // The bits used: the top 24 of one word; the top 27 of the first and top 26 of the second word.
  EXPECT_EQ(unit_float_closed_open(0x000000FFu), 0.0f);
  EXPECT_EQ(unit_float_closed_open(0x00000100u), 0x1p-24f);
  EXPECT_EQ(unit_double_closed_open(0x0000001Fu, 0x0000003Fu), 0.0);
  EXPECT_EQ(unit_double_closed_open(0u, 0x00000040u), 0x1p-53);
  EXPECT_EQ(unit_double_closed_open(0x00000020u, 0u), 0x1p-27);
}

// Mean 1/2 and variance 1/12 on n draws, to within 5 standard errors: the standard error of the
// mean is sqrt(1/12 / n) and that of the (known-mean) variance estimate is sqrt(1/180 / n).
template <class Draw, class InRange>
void expect_uniform_moments(Draw draw, InRange in_range) {
  constexpr int n = 1000000;
  double sum = 0.0, sum_sq = 0.0;
  int out_of_range = 0;
  for (int k = 0; k < n; ++k) {
    const double u = draw();
    if (!in_range(u)) ++out_of_range;
    sum += u;
    sum_sq += (u - 0.5) * (u - 0.5);
  }
  EXPECT_EQ(out_of_range, 0);
  EXPECT_NEAR(sum / n, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / n));
  EXPECT_NEAR(sum_sq / n, 1.0 / 12.0, 5.0 * std::sqrt(1.0 / 180.0 / n));
}

bool closed_open(double u) { return u >= 0.0 && u < 1.0; }
bool open_closed(double u) { return u > 0.0 && u <= 1.0; }

TEST(Xoshiro128StarStar, FloatUniformsAreInRangeWithUniformMoments) {
  Xoshiro128StarStar g(2024);
  expect_uniform_moments([&] { return static_cast<double>(g.uniform_float_closed_open()); },
                         closed_open);
  expect_uniform_moments([&] { return static_cast<double>(g.uniform_float_open_closed()); },
                         open_closed);
}

TEST(Xoshiro128StarStar, DoubleUniformsAreInRangeWithUniformMoments) {
  Xoshiro128StarStar g(2025);
  expect_uniform_moments([&] { return g.uniform_double_closed_open(); }, closed_open);
  expect_uniform_moments([&] { return g.uniform_double_open_closed(); }, open_closed);
}

TEST(Xoshiro128StarStar, DoubleUniformUsesTwoDrawsHighWordFirst) {
  Xoshiro128StarStar g(1), words(1);
  const std::uint32_t high = words.next_u32();
  const std::uint32_t low = words.next_u32();
  EXPECT_EQ(g.uniform_double_closed_open(), unit_double_closed_open(high, low));
  EXPECT_EQ(g.next_u32(), words.next_u32());
}

}  // namespace
}  // namespace lowrank::random
