// The performance benchmark (issue 7): the library's GEMM throughput, the time of one alternating
// gradient descent (AGD) iteration, and the time to a relative error of 1e-6 on the paper's problem,
// printed as JSON lines in the format of the anchors (the comparison anchors' run.sh, see compare.sh) so that the two can
// be read side by side (tests/benchmark/compare.sh prints the ratios).
//
// Usage: lowrank_bench [gemm|agd|tts|profile|svd]...   (default: gemm agd tts; `profile` times the parts of an
// AGD iteration separately: where the time goes)
//
// Timing as in the anchors: each case runs repeatedly for a fixed budget (at least three times) and the
// best time is reported; GEMM repeats the product `inner` times per timing (2e6 / (m n k) times) so
// that the smallest products are not timed one call at a time. Storage is the library's: row-major,
// 64-byte aligned, static. Standard library only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include <lowrank/lowrank.hpp>

namespace {

using lowrank::index;
using lowrank::Matrix;
using clk = std::chrono::steady_clock;

template <class F>
double best_seconds(F&& f, double budget = 0.25) {
  double best = 1e30;
  const auto start = clk::now();
  int reps = 0;
  while (reps < 3 || std::chrono::duration<double>(clk::now() - start).count() < budget) {
    const auto t0 = clk::now();
    f();
    const double s = std::chrono::duration<double>(clk::now() - t0).count();
    if (s < best) best = s;
    ++reps;
  }
  return best;
}

template <class T, index R, index C>
void fill_uniform(Matrix<T, R, C>& a, std::mt19937& gen) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j) a(i, j) = static_cast<T>(u(gen));
}

// ---- GEMM: C (m x n) = A (m x k) B (k x n) ("NN") and C = A^T B with A stored k x m ("TN") ----------
template <index M, index N, index K>
void gemm_shape() {
  static Matrix<float, M, K> a;
  static Matrix<float, K, M> at;
  static Matrix<float, K, N> b;
  static Matrix<float, M, N> c;
  static lowrank::GemmWorkspace<float, M, N, K> ws;
  std::mt19937 gen(1);
  fill_uniform(a, gen);
  fill_uniform(at, gen);
  fill_uniform(b, gen);
  const int inner = (2000000 / static_cast<int>(M * N * K)) > 1 ? 2000000 / static_cast<int>(M * N * K) : 1;
  auto report = [](const char* op, double s) {
    std::printf("{\"case\":\"gemm\",\"impl\":\"lowrank\",\"op\":\"%s\",\"m\":%zu,\"n\":%zu,\"k\":%zu,\"gflops\":%.2f}\n",
                op, static_cast<std::size_t>(M), static_cast<std::size_t>(N), static_cast<std::size_t>(K),
                2.0 * M * N * K / s / 1e9);
  };
  const Matrix<float, M, K>& ca = a;
  const Matrix<float, K, M>& cat = at;
  report("NN", best_seconds([&] {
           for (int i = 0; i < inner; ++i) {
             lowrank::gemm(1.0f, ca, b, 0.0f, c, ws);
             b(0, 0) += c(0, 0) * 1e-30f;  // a dependency between repetitions, as in the anchor
           }
         }) / inner);
  report("TN", best_seconds([&] {
           for (int i = 0; i < inner; ++i) {
             lowrank::gemm(1.0f, lowrank::transpose(cat), b, 0.0f, c, ws);
             b(0, 0) += c(0, 0) * 1e-30f;
           }
         }) / inner);
}

void gemm_all() {
  gemm_shape<8, 8, 8>();
  gemm_shape<16, 16, 16>();
  gemm_shape<32, 32, 32>();
  gemm_shape<64, 64, 64>();
  gemm_shape<128, 128, 128>();
  gemm_shape<256, 256, 256>();
  gemm_shape<512, 512, 512>();
  // the factorization shapes (m x n)(n x d): C is m x d, depth n
  gemm_shape<64, 8, 64>();
  gemm_shape<100, 10, 100>();
  gemm_shape<256, 16, 256>();
  gemm_shape<512, 32, 512>();
  gemm_shape<1024, 16, 256>();
}

// ---- one AGD iteration --------------------------------------------------------------------------------
/// A = Q1 diag(s) Q2^T of rank R with orthonormal Q1, Q2 (Gram-Schmidt on Gaussian columns, in double)
/// and s evenly from 1 down to 0.9, as the anchor's matrices and the paper's problem.
template <index M, index N>
void make_low_rank(Matrix<float, M, N>& a, index r, std::mt19937& gen) {
  std::normal_distribution<double> nd;
  auto orthonormal = [&](index rows) {
    std::vector<double> q(rows * r);
    for (double& x : q) x = nd(gen);
    for (index j = 0; j < r; ++j) {
      for (int pass = 0; pass < 2; ++pass) {  // twice is enough (Kahan)
        for (index p = 0; p < j; ++p) {
          double dot = 0;
          for (index i = 0; i < rows; ++i) dot += q[i * r + p] * q[i * r + j];
          for (index i = 0; i < rows; ++i) q[i * r + j] -= dot * q[i * r + p];
        }
      }
      double norm = 0;
      for (index i = 0; i < rows; ++i) norm += q[i * r + j] * q[i * r + j];
      norm = std::sqrt(norm);
      for (index i = 0; i < rows; ++i) q[i * r + j] /= norm;
    }
    return q;
  };
  const std::vector<double> u = orthonormal(M), v = orthonormal(N);
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      double s = 0;
      for (index k = 0; k < r; ++k) s += u[i * r + k] * (1.0 - 0.1 * static_cast<double>(k) / static_cast<double>(r > 1 ? r - 1 : 1)) * v[j * r + k];
      a(i, j) = static_cast<float>(s);
    }
}

/// The anchor's AGD case: A of rank r (make_low_rank), X and Y with N(0, 0.01) entries, seed 42.
template <index M, index N, index D>
void make_agd_case(Matrix<float, M, N>& a, Matrix<float, M, D>& x, Matrix<float, N, D>& y, index r) {
  std::mt19937 gen(42);
  make_low_rank(a, r, gen);
  std::normal_distribution<float> nd;
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < D; ++j) x(i, j) = 0.1f * nd(gen);
  for (index i = 0; i < N; ++i)
    for (index j = 0; j < D; ++j) y(i, j) = 0.1f * nd(gen);
}

template <index M, index N, index D, index R>
void agd_shape() {
  static Matrix<float, M, N> a;
  static Matrix<float, M, D> x;
  static Matrix<float, N, D> y;
  static lowrank::Workspace<float, M, N, D> w;
  make_agd_case(a, x, y, R);
  auto problem = lowrank::problems::full(a);
  (void)problem.validate();
  const lowrank::methods::agd<float> method(0.1f);
  constexpr int iters = 50;
  volatile double sink = 0;
  lowrank::methods::agd<float>::state st;
  (void)method.begin(problem, w, st);
  const double s = best_seconds([&] {
                     double loss = 0;
                     for (int t = 0; t < iters; ++t) {
                       loss += method.evaluate(problem, x, y, w, st).loss;
                       method.advance(problem, x, y, w, st);
                     }
                     sink = sink + loss;
                   },
                   0.4) /
                   iters;
  std::printf("{\"case\":\"agd_iter\",\"impl\":\"lowrank\",\"m\":%zu,\"n\":%zu,\"d\":%zu,\"r\":%zu,\"gram_us\":%.3f}\n",
              static_cast<std::size_t>(M), static_cast<std::size_t>(N), static_cast<std::size_t>(D),
              static_cast<std::size_t>(R), s * 1e6);
}

/// f() compiled as the library's code is: on its own. Inlined into a repeat loop, GCC interchanged the
/// loops of an axpy with the repetitions and timed a chain of dependent scalar updates instead.
template <class F>
__attribute__((noinline)) void call_alone(F& f) {
  f();
}

/// Where an AGD iteration's time goes: each of its parts timed alone (best of many calls; parts that
/// follow each other in an iteration overlap less than repeated calls of one part do, so the parts add
/// up to a little less than the iteration).
template <index M, index N, index D, index R>
void profile_shape() {
  static Matrix<float, M, N> a;
  static Matrix<float, M, D> x;
  static Matrix<float, N, D> y;
  static lowrank::Workspace<float, M, N, D> w;
  make_agd_case(a, x, y, R);
  auto problem = lowrank::problems::full(a);
  (void)problem.validate();
  const lowrank::methods::agd<float> method(1e-9f);  // a tiny step: the iterate stays put
  // Enough calls per timing that the clock's own cost (about a microsecond on a virtual machine) is
  // under 1% even for the smallest part (an axpy of m d values).
  const int inner = static_cast<int>(4000000 / (M * N * D)) + 100;
  auto time = [&](auto&& f) {
    return best_seconds([&] {
             for (int i = 0; i < inner; ++i) call_alone(f);
           }, 0.1) / inner * 1e6;
  };
  volatile double sink = 0;
  lowrank::methods::agd<float>::state st;
  (void)method.begin(problem, w, st);
  lowrank::gram(x, w.gram_x, w.gemm);
  const double gram_us = time([&] { lowrank::gram(y, w.gram_y, w.gemm); });
  // The loss comes out of gradient_x in the problems' current contract: loss_us is 0, kept for the format.
  const double gx_us = time([&] { sink = sink + problem.gradient_x(x, y, w.gram_x, w.gram_y, w.grad_x, w); });
  const double loss_us = 0.0;
  const double axpy_us = time([&] { lowrank::axpy(-1e-9f, w.grad_x, x); });
  const double gy_us = time([&] { problem.gradient_y(x, y, w.gram_x, w.grad_y, w); });
  const double iter_us = time([&] {
    sink = sink + method.evaluate(problem, x, y, w, st).loss;
    method.advance(problem, x, y, w, st);
  });
  std::printf("{\"case\":\"agd_profile\",\"impl\":\"lowrank\",\"m\":%zu,\"n\":%zu,\"d\":%zu,\"gram_us\":%.3f,"
              "\"gradient_x_us\":%.3f,\"loss_us\":%.3f,\"axpy_us\":%.3f,\"gradient_y_us\":%.3f,\"iteration_us\":%.3f}\n",
              static_cast<std::size_t>(M), static_cast<std::size_t>(N), static_cast<std::size_t>(D), gram_us, gx_us,
              loss_us, axpy_us, gy_us, iter_us);
}

void profile_all() {
  profile_shape<16, 16, 4, 2>();
  profile_shape<32, 32, 6, 4>();
  profile_shape<64, 64, 8, 4>();
  profile_shape<100, 100, 10, 5>();
  profile_shape<100, 100, 6, 5>();
  profile_shape<256, 256, 16, 8>();
  profile_shape<512, 512, 32, 16>();
  profile_shape<1024, 256, 16, 8>();
}

void agd_all() {
  agd_shape<16, 16, 4, 2>();
  agd_shape<32, 32, 6, 4>();
  agd_shape<64, 64, 8, 4>();
  agd_shape<100, 100, 10, 5>();
  agd_shape<100, 100, 6, 5>();
  agd_shape<256, 256, 16, 8>();
  agd_shape<512, 512, 32, 16>();
  agd_shape<1024, 256, 16, 8>();
}

// ---- time to 1e-6 on the paper's problem (100 x 100, rank 5, d = 10) ------------------------------------
constexpr index pm = 100, pn = 100, pd = 10, pr = 5;
Matrix<float, pm, pn> paper_a;
Matrix<float, pm, pd> paper_x;
Matrix<float, pn, pd> paper_y;
lowrank::Workspace<float, pm, pn, pd> paper_w;

template <class Method, class Init>
void time_to_solution(const char* name, const Method& method, const Init& init, double step) {
  auto problem = lowrank::problems::full(paper_a);
  lowrank::solve_options<float> options;
  options.target_relative_error = 1e-6f;
  options.max_iterations = 5000;
  lowrank::solve_report<float> report;
  const double s = best_seconds([&] { report = lowrank::solve(problem, method, init, paper_x, paper_y, paper_w, options); });
  std::printf("{\"case\":\"time_to_solution\",\"impl\":\"lowrank\",\"method\":\"%s\",\"m\":%zu,\"n\":%zu,\"d\":%zu,\"r\":%zu,"
              "\"us\":%.2f,\"step\":%.2f,\"iterations\":%zu,\"status\":\"%s\",\"relative_error\":%.3e}\n",
              name, static_cast<std::size_t>(pm), static_cast<std::size_t>(pn), static_cast<std::size_t>(pd),
              static_cast<std::size_t>(pr), report.status == lowrank::status::converged ? s * 1e6 : -1.0, step,
              static_cast<std::size_t>(report.iterations), lowrank::to_string(report.status),
              static_cast<double>(report.relative_error));
}

void tts_all() {
  std::mt19937 gen(7);
  make_low_rank(paper_a, pr, gen);
  // AGD: the step that reaches 1e-6 soonest from the proposed initialization (sigma_1 estimated).
  double best_us = 1e30, best_step = 0;
  for (double step : {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0}) {
    auto problem = lowrank::problems::full(paper_a);
    lowrank::solve_options<float> options;
    options.max_iterations = 5000;
    const lowrank::methods::agd<float> method(static_cast<float>(step));
    lowrank::solve_report<float> report;
    const double s = best_seconds([&] {
      report = lowrank::solve(problem, method, lowrank::init::proposed<float>{1}, paper_x, paper_y, paper_w, options);
    }, 0.05);
    if (report.status == lowrank::status::converged && s < best_us) {
      best_us = s;
      best_step = step;
    }
  }
  time_to_solution("agd", lowrank::methods::agd<float>(static_cast<float>(best_step)), lowrank::init::proposed<float>{1},
                   best_step);
  time_to_solution("scaled_gd", lowrank::methods::scaled_gd<float>(0.5f), lowrank::init::nystrom{1}, 0.5);
  time_to_solution("precgd", lowrank::methods::precgd<float>(0.5f), lowrank::init::nystrom{1}, 0.5);
}

// ---- SVD (issue 13): the thin SVD of 100 x 10 factors, the one-call truncated SVD of a 100 x 100 matrix of
// rank 10 to 1e-6 (and the factorization alone, its first part) --------------------------------------------
void svd_all() {
  constexpr index m = 100, n = 100, d = 10;
  static Matrix<float, m, n> a;
  static Matrix<float, m, d> x, u;
  static Matrix<float, n, d> y, v;
  static Matrix<float, d, 1> s;
  static lowrank::Workspace<float, m, n, d> w;
  static lowrank::linalg::ThinSvdWorkspace<float, m, n, d> thin;
  std::mt19937 gen(11);
  fill_uniform(x, gen);
  fill_uniform(y, gen);
  lowrank::status thin_status = lowrank::status::ok;
  const double thin_s = best_seconds([&] { thin_status = lowrank::linalg::thin_svd(x, y, u, s, v, thin); });
  std::printf("{\"case\":\"thin_svd\",\"impl\":\"lowrank\",\"m\":%zu,\"n\":%zu,\"d\":%zu,\"us\":%.2f,\"status\":\"%s\"}\n",
              static_cast<std::size_t>(m), static_cast<std::size_t>(n), static_cast<std::size_t>(d), thin_s * 1e6,
              lowrank::to_string(thin_status));
  make_low_rank(a, d, gen);
  lowrank::solve_options<float> options;
  options.target_relative_error = 1e-6f;
  lowrank::solve_report<float> factorized, report;
  const double factorize_s = best_seconds([&] { factorized = lowrank::factorize(a, u, v, w, options); });
  const double svd_s = best_seconds([&] { report = lowrank::linalg::truncated_svd(a, u, s, v, w, options); });
  std::printf("{\"case\":\"truncated_svd\",\"impl\":\"lowrank\",\"m\":%zu,\"n\":%zu,\"d\":%zu,\"r\":%zu,\"us\":%.2f,"
              "\"factorize_us\":%.2f,\"iterations\":%zu,\"status\":\"%s\",\"relative_error\":%.3e}\n",
              static_cast<std::size_t>(m), static_cast<std::size_t>(n), static_cast<std::size_t>(d),
              static_cast<std::size_t>(d), svd_s * 1e6, factorize_s * 1e6, static_cast<std::size_t>(report.iterations),
              lowrank::to_string(report.status), static_cast<double>(report.relative_error));
}

}  // namespace

int main(int argc, char** argv) {
  const char* all[] = {"gemm", "agd", "tts"};
  const int count = argc > 1 ? argc - 1 : 3;
  for (int i = 0; i < count; ++i) {
    const char* what = argc > 1 ? argv[i + 1] : all[i];
    if (std::strcmp(what, "gemm") == 0) gemm_all();
    else if (std::strcmp(what, "agd") == 0) agd_all();
    else if (std::strcmp(what, "tts") == 0) tts_all();
    else if (std::strcmp(what, "profile") == 0) profile_all();
    else if (std::strcmp(what, "svd") == 0) svd_all();
    else {
      std::fprintf(stderr, "unknown: %s (gemm, agd, tts, profile, svd)\n", what);
      return 2;
    }
    std::fflush(stdout);
  }
  return 0;
}
