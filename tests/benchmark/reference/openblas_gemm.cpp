// Reference: single-core OpenBLAS sgemm throughput on the shapes of lowrank_bench's `gemm` section
// (square 8..512 and the factorization shapes). Column-major, float, one thread. Prints one JSON line
// per shape and op:
// {"case":"gemm","impl":"openblas","op":"NN|TN","m":..,"n":..,"k":..,"gflops":..}
// NN: C (m x n) = A (m x k) B (k x n); TN: C = A^T B with A stored k x m.
//
// OpenBLAS picks its kernel ("core type") from the CPU model, or from OPENBLAS_CORETYPE. With the
// argument --corename the program prints the core type OpenBLAS would use and exits: compare.sh runs
// the timings under each core type the CPU supports and this OpenBLAS has, and keeps the best.
#include <cblas.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "timing.hpp"

// OpenBLAS's own extensions (declared by its cblas.h, not by the reference CBLAS header).
extern "C" {
void openblas_set_num_threads(int num_threads);
char* openblas_get_corename(void);
}

namespace {

constexpr double kBudgetSeconds = 0.25;

void print_gemm_line(const char* op, int m, int n, int k, double seconds_per_product) {
  std::printf("{\"case\":\"gemm\",\"impl\":\"openblas\",\"op\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"gflops\":%.2f}\n",
              op, m, n, k, reference::gemm_gflops(m, n, k, seconds_per_product));
}

std::vector<float> uniform_matrix(int rows, int cols, std::mt19937& gen) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> a(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
  for (float& x : a) x = u(gen);
  return a;
}

/// Times C = A B and C = A^T B for one shape.
void time_sgemm(int m, int n, int k) {
  std::mt19937 gen(1);
  const std::vector<float> a = uniform_matrix(m, k, gen), a_stored_transposed = uniform_matrix(k, m, gen),
                           b = uniform_matrix(k, n, gen);
  std::vector<float> c(static_cast<std::size_t>(m) * static_cast<std::size_t>(n));
  const int products = reference::products_per_timing(m, n, k);
  const double nn = reference::fastest_seconds([&] {
    for (int i = 0; i < products; ++i)
      cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a.data(), m, b.data(), k, 0.0f, c.data(), m);
  }, kBudgetSeconds);
  print_gemm_line("NN", m, n, k, nn / products);
  const double tn = reference::fastest_seconds([&] {
    for (int i = 0; i < products; ++i)
      cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, m, n, k, 1.0f, a_stored_transposed.data(), k, b.data(), k,
                  0.0f, c.data(), m);
  }, kBudgetSeconds);
  print_gemm_line("TN", m, n, k, tn / products);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--corename") == 0) {
    std::printf("%s\n", openblas_get_corename());
    return 0;
  }
  openblas_set_num_threads(1);
  const int square[] = {8, 16, 32, 64, 128, 256, 512};
  for (int s : square) time_sgemm(s, s, s);
  // the factorization shapes (m x n)(n x d): C is m x d, depth n
  const int factorization[][3] = {{64, 8, 64}, {100, 10, 100}, {256, 16, 256}, {512, 32, 512}, {1024, 16, 256}};
  for (const auto& s : factorization) time_sgemm(s[0], s[1], s[2]);
}
