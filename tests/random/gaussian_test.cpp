// The Box-Muller generator: golden values, moments, a Kolmogorov-Smirnov test against the normal
// CDF, and the matrix/view/array fills.
//
// Golden values: an independent Python transcription of splitmix64 + xoshiro128** (checked against
// the reference C code), the uniforms as documented in uniform.hpp (24-bit for float, 53-bit for
// double; u1 in (0, 1] then u2 in [0, 1)), and Box-Muller z0 = r cos(2 pi u2), z1 = r sin(2 pi u2),
// r = sqrt(-2 ln u1), evaluated in double precision by Python's math module.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include <lowrank/matrix.hpp>
#include <lowrank/random/gaussian.hpp>

namespace lowrank::random {
namespace {

// Each pair (z0, z1) shares the radius r = hypot(z0, z1). Rounding in the angle gives an absolute
// error proportional to r (not to |z|: a cosine near 0 has a large relative error), so the tolerance
// is relative to r: 1e-6 for float, whose 24-bit angle is good to ~1e-7, and 1e-12 for double.
template <class T>
void expect_golden(std::uint64_t seed, const double (&golden)[6], double relative_tolerance) {
  GaussianGenerator<T> g(seed);
  for (int pair = 0; pair < 3; ++pair) {
    const double z0 = golden[2 * pair], z1 = golden[2 * pair + 1];
    const double tolerance = relative_tolerance * std::hypot(z0, z1);
    EXPECT_NEAR(static_cast<double>(g.next()), z0, tolerance) << "pair " << pair << ", cos";
    EXPECT_NEAR(static_cast<double>(g.next()), z1, tolerance) << "pair " << pair << ", sin";
  }
}

TEST(GaussianGenerator, GoldenValuesFloat) {
  const double golden[6] = {-0.6669910728805406, 1.1893362798634222, 0.01577561602113542,
                            1.9555604032027591,  1.8685602095937786, -0.2990000574626616};
  expect_golden<float>(1, golden, 1e-6);
}

TEST(GaussianGenerator, GoldenValuesDouble) {
  const double golden[6] = {0.817016991178674,   1.0917331243413644, 1.3758884652817538,
                            -1.2991725840629884, -0.7513511338875917, 0.4997932174481964};
  expect_golden<double>(1, golden, 1e-12);
}

template <class T>
void expect_same_and_different_streams() {
  GaussianGenerator<T> a(99), b(99), c(100);
  int equal_to_other_seed = 0;
  for (int k = 0; k < 1000; ++k) {
    const T x = a.next();
    ASSERT_EQ(x, b.next());  // bit-identical
    if (x == c.next()) ++equal_to_other_seed;
  }
  EXPECT_EQ(equal_to_other_seed, 0);
}

TEST(GaussianGenerator, SameSeedSameStreamDifferentSeedDifferentStream) {
  expect_same_and_different_streams<float>();
  expect_same_and_different_streams<double>();
}

// Mean 0 and variance 1 on 10^6 samples, within 5 standard errors (1/sqrt(n) and sqrt(2/n)).
template <class T>
void expect_normal_moments(std::uint64_t seed) {
  constexpr int n = 1000000;
  GaussianGenerator<T> g(seed);
  double sum = 0.0, sum_sq = 0.0;
  for (int k = 0; k < n; ++k) {
    const double z = static_cast<double>(g.next());
    ASSERT_TRUE(std::isfinite(z));
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(double(n)));
  EXPECT_NEAR(sum_sq / n, 1.0, 5.0 * std::sqrt(2.0 / n));
}

TEST(GaussianGenerator, MomentsFloat) { expect_normal_moments<float>(11); }
TEST(GaussianGenerator, MomentsDouble) { expect_normal_moments<double>(12); }

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Kolmogorov-Smirnov distance between the empirical CDF of n samples and the normal CDF; the test
// rejects normality at the 1% level when D > 1.63 / sqrt(n).
template <class T>
double kolmogorov_smirnov_distance(std::uint64_t seed, int n) {
  GaussianGenerator<T> g(seed);
  std::vector<double> samples(static_cast<std::size_t>(n));
  for (double& z : samples) z = static_cast<double>(g.next());
  std::sort(samples.begin(), samples.end());
  double d = 0.0;
  for (int i = 0; i < n; ++i) {
    const double f = normal_cdf(samples[static_cast<std::size_t>(i)]);
    d = std::max({d, f - double(i) / n, double(i + 1) / n - f});
  }
  return d;
}

TEST(GaussianGenerator, KolmogorovSmirnovFloat) {
  constexpr int n = 100000;
  EXPECT_LT(kolmogorov_smirnov_distance<float>(21, n), 1.63 / std::sqrt(double(n)));
}

TEST(GaussianGenerator, KolmogorovSmirnovDouble) {
  constexpr int n = 100000;
  EXPECT_LT(kolmogorov_smirnov_distance<double>(22, n), 1.63 / std::sqrt(double(n)));
}

TEST(FillGaussian, MatrixIsFilledInRowMajorOrder) {
  Matrix<float, 3, 5> m;
  GaussianGenerator<float> g(5), sequential(5);
  fill_gaussian(g, m);
  for (index i = 0; i < 3; ++i)
    for (index j = 0; j < 5; ++j) EXPECT_EQ(m(i, j), sequential.next()) << i << ", " << j;
  EXPECT_EQ(g.next(), sequential.next());  // exactly 15 samples were drawn
}

TEST(FillGaussian, TransposedViewIsFilledInItsOwnRowMajorOrder) {
  Matrix<double, 4, 3> m;
  GaussianGenerator<double> g(6), sequential(6);
  View<double, 3, 4> t = transpose(m);
  fill_gaussian(g, t);
  for (index i = 0; i < 3; ++i)
    for (index j = 0; j < 4; ++j) EXPECT_EQ(m(j, i), sequential.next()) << i << ", " << j;
  EXPECT_EQ(g.next(), sequential.next());  // exactly 12 samples were drawn
}

TEST(FillGaussian, BlockViewTouchesOnlyItsEntries) {
  Matrix<double, 5, 6> m;
  const double sentinel = std::numeric_limits<double>::quiet_NaN();
  for (index i = 0; i < 5; ++i)
    for (index j = 0; j < 6; ++j) m(i, j) = sentinel;
  GaussianGenerator<double> g(7), sequential(7);
  fill_gaussian(g, block<1, 2, 3, 3>(m.view()));
  for (index i = 0; i < 5; ++i)
    for (index j = 0; j < 6; ++j) {
      const bool inside = i >= 1 && i < 4 && j >= 2 && j < 5;
      if (inside)
        EXPECT_EQ(m(i, j), sequential.next()) << i << ", " << j;
      else
        EXPECT_TRUE(std::isnan(m(i, j))) << i << ", " << j;
    }
}

TEST(FillGaussian, RawArraysContinueTheStreamAcrossCalls) {
  // Odd lengths split Box-Muller pairs between calls: the cached value must carry over.
  float a[7], b[7];
  GaussianGenerator<float> whole(8), pieces(8);
  fill_gaussian(whole, a, 7);
  fill_gaussian(pieces, b, 3);
  fill_gaussian(pieces, b + 3, 4);
  for (int k = 0; k < 7; ++k) EXPECT_EQ(a[k], b[k]) << k;
  GaussianGenerator<float> sequential(8);
  for (int k = 0; k < 7; ++k) EXPECT_EQ(a[k], sequential.next()) << k;
  fill_gaussian(whole, a, 0);  // an empty fill draws nothing
  EXPECT_EQ(whole.next(), sequential.next());
}

// The float generator computes log, sqrt, sin and cos by its own polynomials (box_muller.hpp); here
// they are checked against <cmath> in double precision on the same uniforms (regenerated from a
// second Xoshiro128StarStar with the seed, as documented: u1 in (0, 1] then u2 in [0, 1)). The error
// is absolute and scales with the radius r (see expect_golden). Measured maximum over these 200000
// pairs: 1.72e-7 r (GCC 12 and Clang, x86-64 with and without FMA, aarch64, armv7). A sweep of the
// pieces over all 2^24 values of each uniform gave radius errors <= 1.3e-7 r and cos/sin errors
// <= 1e-7, so no pair is off by more than about 3e-7 r.
TEST(GaussianGenerator, FloatIsAccurateAgainstADoubleReference) {
  constexpr int pairs = 200000;
  constexpr double two_pi = 6.283185307179586476925286766559005768;
  GaussianGenerator<float> g(31);
  Xoshiro128StarStar uniform(31);
  double max_error_over_r = 0.0;
  for (int pair = 0; pair < pairs; ++pair) {
    const double u1 = static_cast<double>(uniform.uniform_float_open_closed());
    const double u2 = static_cast<double>(uniform.uniform_float_closed_open());
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double z0 = r * std::cos(two_pi * u2), z1 = r * std::sin(two_pi * u2);
    const double e0 = std::fabs(static_cast<double>(g.next()) - z0);
    const double e1 = std::fabs(static_cast<double>(g.next()) - z1);
    if (r == 0.0) {  // u1 = 1
      ASSERT_EQ(e0 + e1, 0.0) << "pair " << pair;
      continue;
    }
    ASSERT_LE(std::max(e0, e1), 4e-7 * r) << "pair " << pair << ": u1 = " << u1 << ", u2 = " << u2;
    max_error_over_r = std::max(max_error_over_r, std::max(e0, e1) / r);
  }
  std::printf("float Box-Muller: max error %.3g r over %d pairs\n", max_error_over_r, pairs);
}

// The vectorized array fill must return exactly the bits of repeated next() and leave the generator
// in the same state: odd and even lengths, lengths around the fill's batch size, fills that start
// with a cached value pending from next() or from an odd fill, and next() calls in between.
TEST(FillGaussian, RawArrayFillsAreBitIdenticalToNext) {
  GaussianGenerator<float> g(41), sequential(41);
  std::vector<float> buffer(1200);
  int samples = 0, step = 0;
  while (samples < 200000) {
    ++step;
    if (step % 3 == 0) {  // a single next() leaves a cached value pending every other time
      const float a = g.next(), b = sequential.next();
      ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "next() at sample " << samples;
      ++samples;
    }
    // Lengths 0 .. 70 (up to four 16-sample batches and a rest), and longer ones now and then.
    const std::size_t length =
        step % 7 == 0 ? 1000 + static_cast<std::size_t>(step % 199) : static_cast<std::size_t>(step % 71);
    fill_gaussian(g, buffer.data(), length);
    for (std::size_t k = 0; k < length; ++k) {
      const float expected = sequential.next();
      ASSERT_EQ(std::memcmp(&buffer[k], &expected, sizeof expected), 0)
          << "fill of " << length << " at sample " << samples + static_cast<int>(k) << ": " << buffer[k]
          << " vs " << expected;
    }
    samples += static_cast<int>(length);
  }
  for (int k = 0; k < 3; ++k) {  // same state afterwards, cached value included
    const float a = g.next(), b = sequential.next();
    EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << k;
  }
}

TEST(GaussianGenerator, ContinuesFromAUniformGenerator) {
  Xoshiro128StarStar u(9);
  GaussianGenerator<double> from_state(u), from_seed(9);
  EXPECT_EQ(from_state.next(), from_seed.next());
}

}  // namespace
}  // namespace lowrank::random
