// Quickstart: factorize a 100 x 100 rank-5 matrix into X Y^T (d = 10) with alternating gradient
// descent from Ward & Kolda's unbalanced initialization. No heap: every object below is static.
#include <cmath>
#include <cstdio>

#include <lowrank/lowrank.hpp>

constexpr lowrank::index m = 100, n = 100, d = 10, r = 5;

// Big objects are static (in .bss), never on the stack: A alone is 40 KB.
static lowrank::Matrix<float, m, n> A;
static lowrank::Matrix<float, m, d> X;
static lowrank::Matrix<float, n, d> Y;
static lowrank::Workspace<float, m, n, d> workspace;  // gradients, Grams, best iterate, GEMM packing

// A = sum_k s_k u_k v_k^T with u_k, v_k Gaussian (nearly orthogonal at this size) and s_k from 1 to 0.9.
static void make_rank_r_matrix() {
  static lowrank::Matrix<float, m, r> U;
  static lowrank::Matrix<float, n, r> V;
  lowrank::random::GaussianGenerator<float> gaussian(2024);
  lowrank::random::fill_gaussian(gaussian, U);
  lowrank::random::fill_gaussian(gaussian, V);
  for (lowrank::index k = 0; k < r; ++k) {
    const float s = 1.0f - 0.1f * static_cast<float>(k) / static_cast<float>(r - 1);
    for (lowrank::index i = 0; i < m; ++i) U(i, k) *= s / std::sqrt(static_cast<float>(m * n));
  }
  lowrank::gemm(1.0f, U, lowrank::transpose(V), 0.0f, A, workspace.gemm);  // A = U V^T
}

int main() {
  make_rank_r_matrix();
  auto problem = lowrank::problems::full(A);
  const lowrank::methods::agd<float> method(0.5f);   // fixed step eta
  const lowrank::init::proposed<float> start{/*seed=*/1};  // sigma_1 estimated by power iteration

  lowrank::solve_options<float> options;
  options.target_relative_error = 1e-6f;  // ||A - X Y^T||_F^2 / ||A||_F^2

  std::printf("lowrank quickstart: A is %zu x %zu of rank %zu, factors of rank d = %zu, float, %s kernel\n",
              static_cast<std::size_t>(m), static_cast<std::size_t>(n), static_cast<std::size_t>(r),
              static_cast<std::size_t>(d), lowrank::kernels::native_isa);
  std::printf("  iteration   relative error\n");
  auto print_every_5 = [](const lowrank::iteration_info<float>& it) {
    if (it.iteration % 5 == 0) std::printf("  %9zu   %.3e%s\n", static_cast<std::size_t>(it.iteration),
                                           static_cast<double>(it.relative_error), it.exact ? "" : " (Gram form)");
  };
  const auto report = lowrank::solve(problem, method, start, X, Y, workspace, options, print_every_5);

  std::printf("status: %s after %zu iterations, relative error %.3e (%s)\n", lowrank::to_string(report.status),
              static_cast<std::size_t>(report.iterations), static_cast<double>(report.relative_error),
              report.relative_error_exact ? "exact residual" : "Gram-form estimate");
  std::printf("memory: A %zu B, X and Y %zu B, workspace %zu B, heap 0 B\n", sizeof(A), sizeof(X) + sizeof(Y),
              sizeof(workspace));
  return report.status == lowrank::status::converged ? 0 : 1;
}
