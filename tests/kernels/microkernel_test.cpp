// Every micro-kernel this target has, called directly (no packing, no blocking) on random packed
// panels, against a naive loop in double: depths 0, 1, 2, 7, 64; beta == 0 over a C full of NaN
// (C must be written, never read) and beta != 0; C rows further apart than NR, with guard values
// between them that must survive.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include <lowrank/kernels/target.hpp>

namespace lowrank::test {
namespace {

constexpr index kDepths[] = {0, 1, 2, 7, 64};
constexpr index kMaxDepth = 64;

template <class Kernel>
class MicrokernelTest : public ::testing::Test {};

using Kernels = ::testing::Types<kernels::scalar::microkernel<float>, kernels::scalar::microkernel<double>
#if defined(LOWRANK_KERNEL_AVX2)
                                 ,
                                 kernels::avx2::microkernel<float>, kernels::avx2::microkernel<double>
#endif
#if defined(LOWRANK_KERNEL_NEON)
                                 ,
                                 kernels::neon::microkernel<float>, kernels::neon::microkernel<double>
#endif
                                 >;
TYPED_TEST_SUITE(MicrokernelTest, Kernels);

/// Runs Kernel on depth k with (alpha, beta) and checks every C entry and every guard entry.
template <class Kernel>
void check_run(index k, double alpha, double beta, std::mt19937_64& rng) {
  using T = typename Kernel::value_type;
  constexpr index MR = Kernel::mr, NR = Kernel::nr, ldc = NR + 3;
  constexpr T guard = T(12345);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  alignas(64) static T a[kMaxDepth * MR];
  alignas(64) static T b[kMaxDepth * NR];
  alignas(64) static T c[MR * ldc];
  static T c0[MR * ldc];
  for (index i = 0; i < k * MR; ++i) a[i] = static_cast<T>(dist(rng));
  for (index i = 0; i < k * NR; ++i) b[i] = static_cast<T>(dist(rng));
  for (index i = 0; i < MR * ldc; ++i) {
    c0[i] = static_cast<T>(dist(rng));
    const bool in_tile = i % ldc < NR;
    c[i] = !in_tile ? guard : beta == 0.0 ? std::numeric_limits<T>::quiet_NaN() : c0[i];
  }

  Kernel::run(k, a, b, c, ldc, static_cast<T>(alpha), static_cast<T>(beta));

  const double eps = std::numeric_limits<T>::epsilon();
  for (index i = 0; i < MR; ++i) {
    for (index j = 0; j < ldc; ++j) {
      const T got = c[i * ldc + j];
      if (j >= NR) {
        ASSERT_EQ(got, guard) << "kernel wrote past its tile: k=" << k << " at (" << i << ", " << j << ")";
        continue;
      }
      double product = 0, magnitude = 0;
      for (index p = 0; p < k; ++p) {
        const double term = static_cast<double>(a[p * MR + i]) * static_cast<double>(b[p * NR + j]);
        product += term;
        magnitude += std::fabs(term);
      }
      const double c_old = beta == 0.0 ? 0.0 : static_cast<double>(c0[i * ldc + j]);
      const double expected = alpha * product + beta * c_old;
      const double bound = 2.0 * static_cast<double>(k + 2) * eps *
                               (std::fabs(alpha) * magnitude + std::fabs(beta * c_old)) +
                           std::numeric_limits<T>::min();
      ASSERT_FALSE(std::isnan(got)) << "k=" << k << " beta=" << beta << " at (" << i << ", " << j << ")";
      ASSERT_NEAR(static_cast<double>(got), expected, bound)
          << "k=" << k << " alpha=" << alpha << " beta=" << beta << " at (" << i << ", " << j << ")";
    }
  }
}

TYPED_TEST(MicrokernelTest, MatchesNaiveLoopWithBetaZeroOverNaN) {
  std::mt19937_64 rng(11);
  for (index k : kDepths) {
    check_run<TypeParam>(k, 1.0, 0.0, rng);
    check_run<TypeParam>(k, -1.75, 0.0, rng);
  }
}

TYPED_TEST(MicrokernelTest, MatchesNaiveLoopWithBetaNonZero) {
  std::mt19937_64 rng(12);
  for (index k : kDepths) {
    check_run<TypeParam>(k, 1.0, 1.0, rng);
    check_run<TypeParam>(k, 0.5, -1.25, rng);
  }
}

TYPED_TEST(MicrokernelTest, TileIsWholeAndTyped) {
  EXPECT_GT(TypeParam::mr, index{0});
  EXPECT_GT(TypeParam::nr, index{0});
  std::printf("micro-kernel %zu x %zu, %zu-byte values\n", static_cast<std::size_t>(TypeParam::mr),
              static_cast<std::size_t>(TypeParam::nr), sizeof(typename TypeParam::value_type));
}

}  // namespace
}  // namespace lowrank::test
