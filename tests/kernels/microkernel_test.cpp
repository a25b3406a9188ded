// Every micro-kernel this target has, called directly (no packing, no blocking) on random packed
// panels, against a naive loop in double: depths 0, 1, 2, 7, 64; beta == 0 over a C full of NaN
// (C must be written, never read) and beta != 0; C rows further apart than NR, with guard values
// between them that must survive.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include <lowrank/kernels/blocking.hpp>
#include <lowrank/kernels/target.hpp>
#if defined(__AVX2__) && defined(__FMA__) && !defined(LOWRANK_FORCE_SCALAR)
#include <lowrank/kernels/isa/avx2.hpp>  // also on AVX-512 hosts: the AVX2 op set is tested wherever it runs
#endif
#include <lowrank/kernels/isa/riscv_fpu.hpp>  // plain C++: the RISC-V tile is tested on every host too

namespace lowrank::test {
namespace {

constexpr index kDepths[] = {0, 1, 2, 7, 64};
constexpr index kMaxDepth = 64;

/// The portable kernel's edge loops alone (the fallback of the Cortex-M4/M7 assembly tile), as the
/// direct tiles: every shape, whole tiles and strided C included, goes through them.
template <class T>
struct scalar_edge_loops : kernels::scalar::microkernel<T> {
  using base = kernels::scalar::microkernel<T>;
  template <bool RowsAdjacent>
  static void tile(index rows, index cols, const kernels::segment<T>& s, T* c, index rsc, index csc, T alpha,
                   T beta) noexcept {
    base::template edge_tile<RowsAdjacent>(rows, cols, s, c, rsc, csc, alpha, beta);
  }
  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void tile2(index rows, index cols, const kernels::segment<T>& s1, const kernels::segment<T>& s2, T* c,
                    index rsc, index csc, T alpha, T beta) noexcept {
    base::template edge_tile2<RowsAdjacent1, RowsAdjacent2, Subtract2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
  }
};

template <class Kernel>
class MicrokernelTest : public ::testing::Test {};

using Kernels = ::testing::Types<kernels::scalar::microkernel<float>, kernels::scalar::microkernel<double>,
                                 kernels::riscv_fpu::microkernel<float>, kernels::riscv_fpu::microkernel<double>,
                                 scalar_edge_loops<float>
#if defined(__AVX2__) && defined(__FMA__) && !defined(LOWRANK_FORCE_SCALAR)
                                 ,
                                 kernels::avx2::microkernel<float>, kernels::avx2::microkernel<double>
#endif
#if defined(LOWRANK_KERNEL_AVX512)
                                 ,
                                 kernels::avx512::microkernel<float>, kernels::avx512::microkernel<double>
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

/// The direct contract (scalar.hpp): every rows x cols a kernel accepts, both layouts of op(A), one and
/// two products, alpha/beta with beta == 0 over NaN, C with strided columns; nothing outside the tile
/// may be written. op(A) and op(B) live in larger arrays, read in place through their strides.
template <class Kernel>
void check_direct(std::mt19937_64& rng) {
  using T = typename Kernel::value_type;
  constexpr index kMaxRows = 16, kMaxCols = Kernel::nr, kRowStride = 2 * kMaxCols + 3;  // room for csc = 2
  constexpr index kStride = 70;  // > kMaxDepth: op(A)'s non-unit stride and op(B)'s row stride
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  alignas(64) static T a1[kStride * kStride], a2[kStride * kStride], b1[kStride * kStride], b2[kStride * kStride];
  static T c[(kMaxRows + 1) * kRowStride], c0[(kMaxRows + 1) * kRowStride];
  for (T* arr : {a1, a2, b1, b2})
    for (index i = 0; i < kStride * kStride; ++i) arr[i] = static_cast<T>(dist(rng));
  const double eps = std::numeric_limits<T>::epsilon();
  for (index cols = 1; cols <= kMaxCols; ++cols) {
    for (index rows = 1; rows <= Kernel::rows_for(cols) && rows <= kMaxRows; ++rows) {
      for (index k : {index{0}, index{1}, index{7}, index{33}}) {
        for (int variant = 0; variant < 6; ++variant) {
          const bool adjacent1 = variant & 1, two = variant >= 2, adjacent2 = variant >= 4, csc2 = variant == 3;
          const double alpha = variant % 3 == 0 ? 1.0 : -0.75, beta = variant < 3 ? 0.0 : 1.5;
          const index rsc = kRowStride, csc = csc2 ? 2 : 1;
          for (index i = 0; i < (kMaxRows + 1) * kRowStride; ++i) {
            c0[i] = static_cast<T>(dist(rng));
            c[i] = beta == 0.0 ? std::numeric_limits<T>::quiet_NaN() : c0[i];
          }
          // op(A)(i, p): a[i + p * kStride] (adjacent) or a[i * kStride + p]; op(B)(p, j): b[p * kStride + j].
          auto op_a = [&](const T* a, bool adj, index i, index p) { return adj ? a[i + p * kStride] : a[i * kStride + p]; };
          const kernels::segment<T> s1{a1, kStride, b1, kStride, k}, s2{a2, kStride, b2, kStride, k};
          const T ta = static_cast<T>(alpha), tb = static_cast<T>(beta);
          if (!two) {
            if (adjacent1) Kernel::template tile<true>(rows, cols, s1, c, rsc, csc, ta, tb);
            else Kernel::template tile<false>(rows, cols, s1, c, rsc, csc, ta, tb);
          } else if (adjacent1 && adjacent2) {
            Kernel::template tile2<true, true, true>(rows, cols, s1, s2, c, rsc, csc, ta, tb);
          } else if (adjacent2) {
            Kernel::template tile2<false, true, true>(rows, cols, s1, s2, c, rsc, csc, ta, tb);
          } else if (adjacent1) {
            Kernel::template tile2<true, false, true>(rows, cols, s1, s2, c, rsc, csc, ta, tb);
          } else {
            Kernel::template tile2<false, false, true>(rows, cols, s1, s2, c, rsc, csc, ta, tb);
          }
          for (index i = 0; i < (kMaxRows + 1) * kRowStride; ++i) {
            const index row = i / rsc, col_offset = i % rsc;
            const bool in_tile = row < rows && col_offset % csc == 0 && col_offset / csc < cols;
            if (!in_tile) {
              ASSERT_TRUE(beta == 0.0 ? std::isnan(c[i]) : c[i] == c0[i])
                  << "wrote outside the tile at " << i << ": rows=" << rows << " cols=" << cols << " k=" << k
                  << " variant=" << variant;
              continue;
            }
            const index col = col_offset / csc;
            double sum = 0, magnitude = 0;
            for (index p = 0; p < k; ++p) {
              const double t1 = static_cast<double>(op_a(a1, adjacent1, row, p)) * static_cast<double>(b1[p * kStride + col]);
              const double t2 = two ? static_cast<double>(op_a(a2, adjacent2, row, p)) * static_cast<double>(b2[p * kStride + col]) : 0.0;
              sum += t1 - t2;
              magnitude += std::fabs(t1) + std::fabs(t2);
            }
            const double old = beta == 0.0 ? 0.0 : static_cast<double>(c0[i]);
            const double expected = alpha * sum + beta * old;
            const double bound = 2.0 * static_cast<double>(2 * k + 2) * eps * (std::fabs(alpha) * magnitude + std::fabs(beta * old)) +
                                 std::numeric_limits<T>::min();
            ASSERT_NEAR(static_cast<double>(c[i]), expected, bound)
                << "rows=" << rows << " cols=" << cols << " k=" << k << " variant=" << variant << " at (" << row << ", " << col << ")";
          }
        }
      }
    }
  }
}

TYPED_TEST(MicrokernelTest, DirectTilesMatchNaiveLoop) {
  if constexpr (kernels::has_direct_tile<TypeParam>::value) {
    std::mt19937_64 rng(13);
    check_direct<TypeParam>(rng);
  } else {
    GTEST_SKIP() << "packed contract only";
  }
}

/// The dot contract (avx2.hpp), where a kernel has it: op(A)'s rows and op(B)'s columns contiguous,
/// depths around the vector width (the masked last vector), one and two products.
template <class Kernel>
void check_dot(std::mt19937_64& rng) {
  using T = typename Kernel::value_type;
  constexpr index kStride = 70, kRowStride = 2 * Kernel::dot_cols + 3, kMaxRows = 12;
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  alignas(64) static T a1[kStride * kStride], a2[kStride * kStride], b1[kStride * kStride], b2[kStride * kStride];
  static T c[(kMaxRows + 1) * kRowStride], c0[(kMaxRows + 1) * kRowStride];
  for (T* arr : {a1, a2, b1, b2})
    for (index i = 0; i < kStride * kStride; ++i) arr[i] = static_cast<T>(dist(rng));
  const double eps = std::numeric_limits<T>::epsilon();
  for (index cols = 1; cols <= Kernel::dot_cols; ++cols) {
    for (index rows = 1; rows <= Kernel::dot_rows(cols); ++rows) {
      for (index k : {index{0}, index{1}, index{8}, index{13}, index{64}}) {
        for (int variant = 0; variant < 4; ++variant) {
          const bool two = variant >= 2, subtract = variant == 3;
          const double alpha = variant == 0 ? 1.0 : 0.5, beta = variant % 2 == 0 ? 0.0 : -1.25;
          const index rsc = kRowStride, csc = variant == 1 ? 2 : 1;
          for (index i = 0; i < (kMaxRows + 1) * kRowStride; ++i) {
            c0[i] = static_cast<T>(dist(rng));
            c[i] = beta == 0.0 ? std::numeric_limits<T>::quiet_NaN() : c0[i];
          }
          const kernels::segment<T> s1{a1, kStride, b1, kStride, k}, s2{a2, kStride, b2, kStride, k};
          const T ta = static_cast<T>(alpha), tb = static_cast<T>(beta);
          if (!two) Kernel::template dot<false, false>(rows, cols, s1, s1, c, rsc, csc, ta, tb);
          else if (subtract) Kernel::template dot<true, true>(rows, cols, s1, s2, c, rsc, csc, ta, tb);
          else Kernel::template dot<true, false>(rows, cols, s1, s2, c, rsc, csc, ta, tb);
          for (index i = 0; i < (kMaxRows + 1) * kRowStride; ++i) {
            const index row = i / rsc, col_offset = i % rsc;
            const bool in_tile = row < rows && col_offset % csc == 0 && col_offset / csc < cols;
            if (!in_tile) {
              ASSERT_TRUE(beta == 0.0 ? std::isnan(c[i]) : c[i] == c0[i]) << "dot wrote outside the tile at " << i;
              continue;
            }
            const index col = col_offset / csc;
            double sum = 0, magnitude = 0;
            for (index p = 0; p < k; ++p) {
              const double t1 = static_cast<double>(a1[row * kStride + p]) * static_cast<double>(b1[col * kStride + p]);
              const double t2 = two ? static_cast<double>(a2[row * kStride + p]) * static_cast<double>(b2[col * kStride + p]) : 0.0;
              sum += t1 + (subtract ? -t2 : t2);
              magnitude += std::fabs(t1) + std::fabs(t2);
            }
            const double old = beta == 0.0 ? 0.0 : static_cast<double>(c0[i]);
            const double bound = 2.0 * static_cast<double>(2 * k + 2) * eps * (std::fabs(alpha) * magnitude + std::fabs(beta * old)) +
                                 std::numeric_limits<T>::min();
            ASSERT_NEAR(static_cast<double>(c[i]), alpha * sum + beta * old, bound)
                << "dot rows=" << rows << " cols=" << cols << " k=" << k << " variant=" << variant;
          }
        }
      }
    }
  }
}

/// The edges read nothing outside their operands: each partial tile gets op(A) and op(B) in arrays of
/// exactly rows x k and k x cols values (on the heap, so that the sanitizer build catches any read past
/// them), and the valid part of C must still match the naive loop.
template <class Kernel>
void check_exact_operands(std::mt19937_64& rng) {
  using T = typename Kernel::value_type;
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  const double eps = std::numeric_limits<T>::epsilon();
  for (index cols = 1; cols <= Kernel::nr; ++cols) {
    for (index rows = 1; rows <= Kernel::rows_for(cols); ++rows) {
      for (bool adjacent : {false, true}) {
        const index k = 5;
        std::vector<T> a(static_cast<std::size_t>(rows * k)), b(static_cast<std::size_t>(k * cols));
        std::vector<T> c(static_cast<std::size_t>(rows * cols));
        for (T& x : a) x = static_cast<T>(dist(rng));
        for (T& x : b) x = static_cast<T>(dist(rng));
        // op(A)(i, p) = a[i + p * rows] (adjacent) or a[i * k + p]; op(B)(p, j) = b[p * cols + j].
        const kernels::segment<T> s{a.data(), adjacent ? rows : k, b.data(), cols, k};
        if (adjacent) Kernel::template tile<true>(rows, cols, s, c.data(), cols, 1, T(1), T(0));
        else Kernel::template tile<false>(rows, cols, s, c.data(), cols, 1, T(1), T(0));
        for (index i = 0; i < rows; ++i) {
          for (index j = 0; j < cols; ++j) {
            double sum = 0, magnitude = 0;
            for (index p = 0; p < k; ++p) {
              const double ai = static_cast<double>(adjacent ? a[static_cast<std::size_t>(i + p * rows)]
                                                             : a[static_cast<std::size_t>(i * k + p)]);
              const double t = ai * static_cast<double>(b[static_cast<std::size_t>(p * cols + j)]);
              sum += t;
              magnitude += std::fabs(t);
            }
            ASSERT_NEAR(static_cast<double>(c[static_cast<std::size_t>(i * cols + j)]), sum,
                        2.0 * (k + 2) * eps * magnitude + std::numeric_limits<T>::min())
                << "rows=" << rows << " cols=" << cols << " adjacent=" << adjacent << " at (" << i << ", " << j << ")";
          }
        }
      }
    }
  }
}

TYPED_TEST(MicrokernelTest, PartialTilesReadOnlyTheirOperands) {
  if constexpr (kernels::has_direct_tile<TypeParam>::value) {
    std::mt19937_64 rng(19);
    check_exact_operands<TypeParam>(rng);
  } else {
    GTEST_SKIP() << "no direct contract";
  }
}

TYPED_TEST(MicrokernelTest, DotTilesMatchNaiveLoop) {
  if constexpr (kernels::has_dot_tile<TypeParam>::value) {
    std::mt19937_64 rng(17);
    check_dot<TypeParam>(rng);
  } else {
    GTEST_SKIP() << "no dot contract";
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
