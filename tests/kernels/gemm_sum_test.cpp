// gemm_sum (C = alpha (op(A1) op(B1) +- op(A2) op(B2)) + beta C, the solvers' gradients in one pass)
// against a naive loop in double: the two combinations the solvers use (X G - A Y with both A's rows
// contiguous, Y G - A^T X with the second transposed) and others (both added, a transposed first
// operand), widths that fill whole vectors and widths that leave a remainder (the dot kernel), depths
// on both sides of the fused path's limit, every micro-kernel this target has, the workspace a user
// would declare and one with tiny blocks.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <lowrank/kernels/gemm.hpp>

#include "support/reference.hpp"
#include "support/tiny_workspace.hpp"

namespace lowrank::test {
namespace {

constexpr Coefficients kCoefficients[] = {{1.0, 0.0}, {-0.5, 1.0}, {2.0, -1.5}};

/// Checks gemm_sum for op(A1) (M x K1) op(B1) (K1 x N) and op(A2) (M x K2) op(B2) (K2 x N).
template <class Workspace, class VA1, class VB1, class VA2, class VB2, index M, index N>
void check_sum(const VA1& a1, const VB1& b1, const VA2& a2, const VB2& b2, Matrix<typename VA1::value_type, M, N>& c,
               Workspace& ws, test_rng& rng, const char* what) {
  using T = typename VA1::value_type;
  static Matrix<T, M, N> c0;
  for (bool subtract : {true, false}) {
    for (const Coefficients& coef : kCoefficients) {
      fill_uniform(c0, rng);
      for (index i = 0; i < M; ++i)
        for (index j = 0; j < N; ++j) c(i, j) = coef.beta == 0.0 ? std::numeric_limits<T>::quiet_NaN() : c0(i, j);
      gemm_sum(static_cast<T>(coef.alpha), a1, b1, subtract, a2, b2, static_cast<T>(coef.beta), c, ws);
      const double eps = std::numeric_limits<T>::epsilon();
      for (index i = 0; i < M; ++i) {
        for (index j = 0; j < N; ++j) {
          double p1 = 0, m1 = 0, p2 = 0, m2 = 0;
          reference_product_entry(a1, b1, i, j, p1, m1);
          reference_product_entry(a2, b2, i, j, p2, m2);
          const double c_old = coef.beta == 0.0 ? 0.0 : static_cast<double>(c0(i, j));
          const double expected = coef.alpha * (p1 + (subtract ? -p2 : p2)) + coef.beta * c_old;
          const double bound = 2.0 * static_cast<double>(VA1::cols + VA2::cols + 2) * eps *
                                   (std::fabs(coef.alpha) * (m1 + m2) + std::fabs(coef.beta * c_old)) +
                               std::numeric_limits<T>::min();
          ASSERT_NEAR(static_cast<double>(c(i, j)), expected, bound)
              << what << " M=" << M << " N=" << N << " K1=" << VA1::cols << " K2=" << VA2::cols
              << " subtract=" << subtract << " alpha=" << coef.alpha << " beta=" << coef.beta << " at (" << i << ", "
              << j << ")";
        }
      }
    }
  }
}

/// The gradient shapes: X (M x D) G (D x D) -+ A (M x K) Y (K x D), and Y G -+ A^T X with A stored K x M,
/// plus X^T-first and transposed-B variants.
template <class Workspace, index M, index D, index K>
void check_gradient_shapes(Workspace& ws, test_rng& rng) {
  using T = typename Workspace::kernel::value_type;
  static Matrix<T, M, D> x;
  static Matrix<T, D, D> g;
  static Matrix<T, M, K> a;
  static Matrix<T, K, M> at;
  static Matrix<T, K, D> y;
  static Matrix<T, D, K> yt;
  static Matrix<T, D, M> xt;
  static Matrix<T, M, D> c;
  fill_uniform(x, rng);
  fill_uniform(g, rng);
  fill_uniform(a, rng);
  fill_uniform(at, rng);
  fill_uniform(y, rng);
  fill_uniform(yt, rng);
  fill_uniform(xt, rng);
  const auto& ca = a;
  const auto& cat = at;
  check_sum(x.view(), g.view(), ca.view(), y.view(), c, ws, rng, "X G, A Y");
  check_sum(x.view(), g.view(), transpose(cat), y.view(), c, ws, rng, "X G, A^T Y");
  check_sum(transpose(xt.view()), g.view(), ca.view(), y.view(), c, ws, rng, "X^T G, A Y");
  check_sum(x.view(), g.view(), ca.view(), transpose(yt.view()), c, ws, rng, "X G, A Y^T");
}

template <class Kernel, index M, index D, index K>
void check_shape(test_rng& rng) {
  using T = typename Kernel::value_type;
  static GemmWorkspace<T, M, D, (K > D ? K : D), Kernel> sized;
  check_gradient_shapes<decltype(sized), M, D, K>(sized, rng);
  // Products on the compile-time path (gemm_small) never touch the workspace: the tiny one would
  // test nothing more, and these instantiations are the heaviest to compile (minutes under ASan).
  if constexpr (!kernels::small_product<Kernel, M, D, D, K>) {
    static TinyWorkspace<Kernel> tiny;
    check_gradient_shapes<TinyWorkspace<Kernel>, M, D, K>(tiny, rng);
  }
}

template <class Kernel>
class GemmSumTest : public ::testing::Test {};

using Kernels = ::testing::Types<kernels::scalar::microkernel<float>, kernels::scalar::microkernel<double>,
                                 kernels::native_microkernel<float>, kernels::native_microkernel<double>>;
TYPED_TEST_SUITE(GemmSumTest, Kernels);

TYPED_TEST(GemmSumTest, MatchesNaiveLoops) {
  test_rng rng(99);
  check_shape<TypeParam, 1, 1, 1>(rng);
  check_shape<TypeParam, 16, 4, 16>(rng);
  check_shape<TypeParam, 32, 6, 32>(rng);
  check_shape<TypeParam, 64, 8, 64>(rng);
  check_shape<TypeParam, 100, 10, 100>(rng);
  check_shape<TypeParam, 13, 17, 300>(rng);  // deeper than one fused block
  check_shape<TypeParam, 37, 3, 23>(rng);
  check_shape<TypeParam, 48, 16, 7>(rng);
}

}  // namespace
}  // namespace lowrank::test
