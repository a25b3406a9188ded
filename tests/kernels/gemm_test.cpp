// GEMM against a naive triple loop in double: every op combination, float and double, many shapes
// (1, primes, 100, 257), alpha and beta outside {0, 1}, every micro-kernel this target has, and
// workspaces small enough to force every blocking loop to run more than once.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <lowrank/kernels/gemm.hpp>
#include <lowrank/kernels/isa/riscv_fpu.hpp>
#if defined(LOWRANK_KERNEL_AVX512)
#include <lowrank/kernels/isa/avx2.hpp>
#endif

#include "support/reference.hpp"
#include "support/tiny_workspace.hpp"

namespace lowrank::test {
namespace {

/// A packing workspace with deliberately tiny blocks (2 x MR rows, 5 deep, 2 x NR columns), so that
/// the jc, pc and ic loops and the zero-padded edges all run on small matrices.
constexpr Coefficients kCoefficients[] = {{1.0, 0.0}, {0.75, -1.25}, {-2.0, 1.0}, {1.5, 0.0}, {0.0, 0.5}};

/// Checks C = alpha op(A) op(B) + beta C for one (op(A), op(B)) pair given as views.
template <class Workspace, class VA, class VB, index M, index N>
void check_product(const VA& a, const VB& b, Matrix<typename VA::value_type, M, N>& c, Workspace& ws,
                   test_rng& rng, const char* ops) {
  using T = typename VA::value_type;
  static Matrix<T, M, N> c0;
  for (const Coefficients& coef : kCoefficients) {
    fill_uniform(c0, rng);
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j)
        // beta == 0 must ignore C entirely, even NaN.
        c(i, j) = coef.beta == 0.0 ? std::numeric_limits<T>::quiet_NaN() : c0(i, j);
    gemm(static_cast<T>(coef.alpha), a, b, static_cast<T>(coef.beta), c, ws);
    const double eps = std::numeric_limits<T>::epsilon();
    for (index i = 0; i < M; ++i) {
      for (index j = 0; j < N; ++j) {
        double product = 0, magnitude = 0;
        reference_product_entry(a, b, i, j, product, magnitude);
        const double c_old = coef.beta == 0.0 ? 0.0 : static_cast<double>(c0(i, j));
        const double expected = coef.alpha * product + coef.beta * c_old;
        const double bound =
            2.0 * (VA::cols + 2) * eps * (std::fabs(coef.alpha) * magnitude + std::fabs(coef.beta * c_old)) +
            std::numeric_limits<T>::min();
        ASSERT_NEAR(static_cast<double>(c(i, j)), expected, bound)
            << ops << " M=" << M << " N=" << N << " K=" << VA::cols << " alpha=" << coef.alpha
            << " beta=" << coef.beta << " at (" << i << ", " << j << ")";
      }
    }
  }
}

/// All four op combinations for C (M x N) = op(A) (M x K) op(B) (K x N).
template <class Workspace, index M, index N, index K>
void check_all_ops(Workspace& ws, test_rng& rng) {
  using T = typename Workspace::kernel::value_type;
  static Matrix<T, M, K> a;
  static Matrix<T, K, M> a_t;
  static Matrix<T, K, N> b;
  static Matrix<T, N, K> b_t;
  static Matrix<T, M, N> c;
  fill_uniform(a, rng);
  fill_uniform(a_t, rng);
  fill_uniform(b, rng);
  fill_uniform(b_t, rng);
  const Matrix<T, M, K>& ca = a;  // read-only operands, as solvers pass them
  check_product(ca.view(), b.view(), c, ws, rng, "NN");
  check_product(ca.view(), transpose(b_t), c, ws, rng, "NT");
  check_product(transpose(a_t), b.view(), c, ws, rng, "TN");
  check_product(transpose(a_t), transpose(b_t), c, ws, rng, "TT");
}

template <class Kernel, index M, index N, index K>
void check_shape(test_rng& rng) {
  using T = typename Kernel::value_type;
  static GemmWorkspace<T, M, N, K, Kernel> sized;  // the workspace a user would declare
  check_all_ops<GemmWorkspace<T, M, N, K, Kernel>, M, N, K>(sized, rng);
  static TinyWorkspace<Kernel> tiny;
  check_all_ops<TinyWorkspace<Kernel>, M, N, K>(tiny, rng);
}

template <class Kernel>
class GemmTest : public ::testing::Test {};

using Kernels = ::testing::Types<kernels::scalar::microkernel<float>, kernels::scalar::microkernel<double>,
                                 kernels::native_microkernel<float>, kernels::native_microkernel<double>,
                                 kernels::riscv_fpu::microkernel<float>  // plain C++: tested on every host
#if defined(LOWRANK_KERNEL_AVX512)
                                 ,  // the AVX2 op set too, wherever it runs
                                 kernels::avx2::microkernel<float>, kernels::avx2::microkernel<double>
#endif
                                 >;
TYPED_TEST_SUITE(GemmTest, Kernels);

TYPED_TEST(GemmTest, MatchesNaiveTripleLoopOnAwkwardShapes) {
  test_rng rng(2024);
  check_shape<TypeParam, 1, 1, 1>(rng);
  check_shape<TypeParam, 1, 17, 3>(rng);
  check_shape<TypeParam, 3, 7, 17>(rng);
  check_shape<TypeParam, 7, 1, 100>(rng);
  check_shape<TypeParam, 17, 17, 17>(rng);
  check_shape<TypeParam, 13, 257, 5>(rng);
  check_shape<TypeParam, 100, 10, 100>(rng);
  check_shape<TypeParam, 257, 3, 100>(rng);
  check_shape<TypeParam, 100, 100, 100>(rng);
}

TYPED_TEST(GemmTest, MatchesNaiveTripleLoopOnLargeSquare) {
  // Several cache blocks in every direction with the workspace a user would declare; the tiny
  // workspace's block loops are covered by the shapes above, at a fraction of the reference's cost.
  test_rng rng(7);
  using T = typename TypeParam::value_type;
  static GemmWorkspace<T, 257, 257, 257, TypeParam> sized;
  check_all_ops<GemmWorkspace<T, 257, 257, 257, TypeParam>, 257, 257, 257>(sized, rng);
}

/// Operands that repeat one row or one column (a zero stride, as a user's view of a mean vector
/// would): the kernels' loops must count their steps, not wait for a pointer that never moves.
template <class Kernel, index M, index N, index K>
void check_repeating_views(test_rng& rng) {
  using T = typename Kernel::value_type;
  static GemmWorkspace<T, M, N, K, Kernel> ws;
  static Matrix<T, M, N> c;
  static Matrix<T, 1, (M > K ? M : K)> row_a;
  static Matrix<T, 1, (N > K ? N : K)> row_b;
  fill_uniform(row_a, rng);
  fill_uniform(row_b, rng);
  const View<const T, M, K> a_rows(row_a.data(), 0, 1);  // every row of A the same
  const View<const T, K, N> b_rows(row_b.data(), 0, 1);  // every row of B the same
  const View<const T, K, M> a_t_rows(row_a.data(), 0, 1);
  const View<const T, N, K> b_t_rows(row_b.data(), 0, 1);
  check_product(a_rows, b_rows, c, ws, rng, "NN, zero row strides");
  check_product(transpose(a_t_rows), b_rows, c, ws, rng, "TN, zero column stride of op(A)");
  check_product(a_rows, transpose(b_t_rows), c, ws, rng, "NT, zero column stride of op(B)");
  check_product(transpose(a_t_rows), transpose(b_t_rows), c, ws, rng, "TT, zero column strides");
}

TYPED_TEST(GemmTest, MatchesNaiveTripleLoopOnViewsWithAZeroStride) {
  test_rng rng(99);
  check_repeating_views<TypeParam, 20, 10, 9>(rng);
  check_repeating_views<TypeParam, 13, 12, 8>(rng);
  check_repeating_views<TypeParam, 7, 3, 33>(rng);
}

TEST(Gemm, ReportsTheKernelInUse) {
  // Not a check of behaviour: makes the ISA visible in the test log of every target.
  std::printf("native micro-kernel: %s\n", kernels::native_isa);
  SUCCEED();
}

TEST(Gemm, WorksWithStackWorkspaceForSmallProducts) {
  test_rng rng(3);
  Matrix<float, 8, 8> a, b, c;
  fill_uniform(a, rng);
  fill_uniform(b, rng);
  gemm(1.0f, a, b, 0.0f, c);
  for (index i = 0; i < 8; ++i)
    for (index j = 0; j < 8; ++j) {
      double v = 0, mag = 0;
      reference_product_entry(a.view(), b.view(), i, j, v, mag);
      EXPECT_NEAR(c(i, j), v, 1e-5);
    }
}

}  // namespace
}  // namespace lowrank::test
