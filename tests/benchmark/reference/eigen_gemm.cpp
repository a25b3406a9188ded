// Reference: single-core GEMM throughput of Eigen's fixed-size product (what a C++ user writes with
// Eigen::Matrix<float, M, K> today), on the shapes of lowrank_bench's `gemm` section: square 8..512 and
// the factorization shapes. Column-major (Eigen's default), float. Prints one JSON line per shape and op:
// {"case":"gemm","impl":"eigen_fixed","op":"NN|TN","m":..,"n":..,"k":..,"gflops":..}
// NN: C (m x n) = A (m x k) B (k x n); TN: C = A^T B with A stored k x m.
#include <Eigen/Dense>
#include <cstdio>

#include "timing.hpp"

namespace {

constexpr double kBudgetSeconds = 0.25;

void print_gemm_line(const char* op, int m, int n, int k, double seconds_per_product) {
  std::printf("{\"case\":\"gemm\",\"impl\":\"eigen_fixed\",\"op\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"gflops\":%.2f}\n",
              op, m, n, k, reference::gemm_gflops(m, n, k, seconds_per_product));
}

/// Times C = A B and C = A^T B for one shape. The operands are static (the largest are megabytes);
/// each product feeds a tiny amount of C back into B, so that the repetitions cannot be merged.
/// Not inlined: Eigen keeps a fixed-size product's blocking buffers on the stack, and with every shape
/// inlined into main they share one frame at other offsets from the operands (measured: NN 32^3 and
/// 64^3 some 25% slower than with a frame per shape, as a user's code has it).
template <int M, int N, int K>
[[gnu::noinline]] void time_fixed_size_products() {
  static Eigen::Matrix<float, M, K> a = Eigen::Matrix<float, M, K>::Random();
  static Eigen::Matrix<float, K, M> a_stored_transposed = a.transpose();
  static Eigen::Matrix<float, K, N> b = Eigen::Matrix<float, K, N>::Random();
  static Eigen::Matrix<float, M, N> c;
  constexpr int products = reference::products_per_timing(M, N, K);
  const double nn = reference::fastest_seconds([] {
    for (int i = 0; i < products; ++i) {
      c.noalias() = a * b;
      b(0, 0) += c(0, 0) * 1e-30f;
    }
  }, kBudgetSeconds);
  print_gemm_line("NN", M, N, K, nn / products);
  const double tn = reference::fastest_seconds([] {
    for (int i = 0; i < products; ++i) {
      c.noalias() = a_stored_transposed.transpose() * b;
      b(0, 0) += c(0, 0) * 1e-30f;
    }
  }, kBudgetSeconds);
  print_gemm_line("TN", M, N, K, tn / products);
}

}  // namespace

int main() {
  time_fixed_size_products<8, 8, 8>();
  time_fixed_size_products<16, 16, 16>();
  time_fixed_size_products<32, 32, 32>();
  time_fixed_size_products<64, 64, 64>();
  time_fixed_size_products<128, 128, 128>();
  time_fixed_size_products<256, 256, 256>();
  time_fixed_size_products<512, 512, 512>();
  // the factorization shapes (m x n)(n x d): C is m x d, depth n
  time_fixed_size_products<64, 8, 64>();
  time_fixed_size_products<100, 10, 100>();
  time_fixed_size_products<256, 16, 256>();
  time_fixed_size_products<512, 32, 512>();
  time_fixed_size_products<1024, 16, 256>();
}
