// lowrank::solver: advancing k = 1, 7 or "to the end" iterations per call gives the factors, the
// report and the callback record of solve(), bit for bit, for several methods and problems; no call
// runs more than k iterations; stop() is solve() with the cap at the iterations evaluated; rejected
// arguments are rejected before anything is written; the final error agrees with a naive double
// residual.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "support/reference.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr index m = 24;
constexpr index n = 18;
constexpr index d = 3;

/// Every evaluation a run reported, and how many came in each advance() call.
struct Record {
  std::vector<iteration_info<double>> entries;
  void operator()(const iteration_info<double>& info) { entries.push_back(info); }
};

template <class MA>
void make_noisy_low_rank(MA& a, unsigned seed, double noise) {
  test_rng rng(seed);
  Matrix<double, m, d> u;
  Matrix<double, n, d> v;
  fill_uniform(u, rng);
  fill_uniform(v, rng);
  std::normal_distribution<double> gaussian(0.0, noise);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) {
      double s = 0.0;
      for (index k = 0; k < d; ++k) s += u(i, k) * v(j, k);
      a(i, j) = s * 300.0 + gaussian(rng);  // far from unit scale: the units conversion matters
    }
}

template <class M1, class M2>
bool same_bits(const M1& p, const M2& q) {
  return std::memcmp(p.data(), q.data(), sizeof(typename M1::value_type) * M1::size) == 0;
}

bool same_bits(double p, double q) { return std::memcmp(&p, &q, sizeof p) == 0; }

void expect_same_report(const solve_report<double>& p, const solve_report<double>& q) {
  EXPECT_EQ(p.status, q.status);
  EXPECT_EQ(p.iterations, q.iterations);
  EXPECT_TRUE(same_bits(p.relative_error, q.relative_error) ||
              (std::isnan(p.relative_error) && std::isnan(q.relative_error)));
  EXPECT_EQ(p.relative_error_exact, q.relative_error_exact);
  EXPECT_TRUE(same_bits(p.initial_relative_error, q.initial_relative_error) ||
              (std::isnan(p.initial_relative_error) && std::isnan(q.initial_relative_error)));
  EXPECT_TRUE(same_bits(p.target_relative_error, q.target_relative_error));
  EXPECT_EQ(p.target_clamped, q.target_clamped);
}

void expect_same_record(const Record& p, const Record& q) {
  ASSERT_EQ(p.entries.size(), q.entries.size());
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    EXPECT_EQ(p.entries[i].iteration, q.entries[i].iteration);
    EXPECT_TRUE(same_bits(p.entries[i].relative_error, q.entries[i].relative_error));
    EXPECT_EQ(p.entries[i].exact, q.entries[i].exact);
  }
}

constexpr index to_the_end = std::numeric_limits<index>::max();

/// Runs `make()` (a fresh problem) by solve() with `init`, then by a solver at each k, and
/// compares. `start` is copied into the factors before each run.
template <class MakeProblem, class Method, class Init, class Work>
void expect_resumable_equals_solve(const MakeProblem& make, const Method& method, const Init& init, Work& w,
                                   const solve_options<double>& options) {
  static Matrix<double, m, d> x, x_ref;
  static Matrix<double, n, d> y, y_ref;
  auto reference_problem = make();
  Record reference_record;
  const auto reference = solve(reference_problem, method, init, x_ref, y_ref, w, options, reference_record);
  ASSERT_GT(reference_record.entries.size(), 8u) << "the run must span several calls of k = 7";
  for (index k : {index(1), index(7), to_the_end}) {
    auto problem = make();
    Record record;
    auto run = make_solver(problem, method, init, x, y, w, options);
    index calls = 0;
    bool finished = false;
    while (!finished) {
      const std::size_t before = record.entries.size();
      finished = run.advance(k, record);
      EXPECT_LE(record.entries.size() - before, k) << "a call ran more than k iterations";
      ++calls;
      ASSERT_LT(calls, 100000u);
    }
    EXPECT_TRUE(run.finished());
    EXPECT_TRUE(run.advance(k, record));  // a finished run stays finished and records nothing
    expect_same_report(run.report(), reference);
    expect_same_record(record, reference_record);
    EXPECT_TRUE(same_bits(x, x_ref)) << "k = " << k;
    EXPECT_TRUE(same_bits(y, y_ref)) << "k = " << k;
    if (k == 1) {
      EXPECT_EQ(calls, reference_record.entries.size());
    }
  }
}

struct Data {
  Matrix<double, m, n> a;
  Matrix<double, m, n> masked_a;
  BitMask<m, n> observed;
  RobustWorkspace<double, m, n, d> w;
};
Data& data() {
  static Data s;
  static bool made = false;
  if (!made) {
    make_noisy_low_rank(s.a, 7, 0.5);
    test_rng rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) s.observed.set(i, j, u(rng) < 0.7 || i == j);
    made = true;
  }
  return s;
}

solve_options<double> few_hundred() {
  solve_options<double> o;
  o.max_iterations = 300;
  return o;
}

TEST(Solver, FullProblemEveryMethodMatchesSolveBitForBit) {
  Data& s = data();
  const auto make = [&] { return problems::full(s.a); };
  expect_resumable_equals_solve(make, methods::agd<double>(), init::random{3}, s.w, few_hundred());
  expect_resumable_equals_solve(make, methods::gd<double>(), init::colspan{2}, s.w, few_hundred());
  expect_resumable_equals_solve(make, methods::scaled_gd<double>(0.5), init::nystrom{1}, s.w, few_hundred());
  expect_resumable_equals_solve(make, methods::precgd<double>(0.5), init::random{5}, s.w, few_hundred());
  expect_resumable_equals_solve(make, methods::feedback_alignment<double, n, d>(), init::random{4}, s.w,
                                few_hundred());
}

TEST(Solver, MaskedAndRobustProblemsMatchSolveBitForBit) {
  Data& s = data();
  const auto make_masked = [&] {
    s.masked_a = s.a;
    return problems::masked(s.masked_a, s.observed);
  };
  expect_resumable_equals_solve(make_masked, methods::agd<double>(), init::random{1}, s.w, few_hundred());
  const auto make_robust = [&] { return problems::robust(s.a, problems::robust_options<double>{0.2, 0.25, 0.0}); };
  expect_resumable_equals_solve(make_robust, methods::agd<double>(), init::random{2}, s.w, few_hundred());
}

TEST(Solver, SymmetricSolverMatchesSolveSymmetric) {
  static Matrix<double, m, m> psd;
  static Matrix<double, m, d> x, x_ref;
  static SymmetricWorkspace<double, m, d> w;
  Data& s = data();
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < m; ++j) {
      double sum = 0.0;
      for (index p = 0; p < n; ++p) sum += s.a(i, p) * s.a(j, p) * (p < d + 2 ? 1.0 : 1e-3);
      psd(i, j) = sum;
    }
  auto reference_problem = problems::symmetric(psd);
  const methods::precgd<double> method(0.5);
  Record reference_record;
  const auto reference = solve_symmetric(reference_problem, method, init::nystrom{1}, x_ref,
                                         w, few_hundred(), reference_record);
  ASSERT_GT(reference_record.entries.size(), 2u);
  for (index k : {index(1), index(7), to_the_end}) {
    auto problem = problems::symmetric(psd);
    Record record;
    auto run = make_symmetric_solver(problem, method, init::nystrom{1}, x, w, few_hundred());
    while (!run.advance(k, record)) {
    }
    expect_same_report(run.report(), reference);
    expect_same_record(record, reference_record);
    EXPECT_TRUE(same_bits(x, x_ref));
  }
}

TEST(Solver, StopIsSolveCappedAtTheIterationsEvaluated) {
  Data& s = data();
  static Matrix<double, m, d> x, x_ref;
  static Matrix<double, n, d> y, y_ref;
  const methods::agd<double> method;
  for (index evaluated : {index(1), index(5), index(12)}) {
    auto problem = problems::full(s.a);
    auto run = make_solver(problem, method, init::random{3}, x, y, s.w, few_hundred());
    ASSERT_FALSE(run.advance(evaluated)) << evaluated << " iterations finished the run: " << to_string(run.report().status) << " after " << run.report().iterations;
    run.stop();
    EXPECT_TRUE(run.finished());
    auto capped = few_hundred();
    capped.max_iterations = evaluated - 1;  // evaluates iterations 0 .. evaluated - 1
    auto reference_problem = problems::full(s.a);
    const auto reference = solve(reference_problem, method, init::random{3}, x_ref, y_ref, s.w, capped);
    expect_same_report(run.report(), reference);
    EXPECT_TRUE(same_bits(x, x_ref));
    EXPECT_TRUE(same_bits(y, y_ref));
  }
}

TEST(Solver, StopBeforeAnyIterationKeepsTheStartInUserUnits) {
  Data& s = data();
  static Matrix<double, m, d> x;
  static Matrix<double, n, d> y;
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) x(i, k) = 0.5 + static_cast<double>(i + k);
  for (index j = 0; j < n; ++j)
    for (index k = 0; k < d; ++k) y(j, k) = 1.5 - static_cast<double>(j * k);
  const Matrix<double, m, d> x_start = x;
  const Matrix<double, n, d> y_start = y;
  auto problem = problems::full(s.a);
  const methods::agd<double> method;
  auto run = make_solver(problem, method, x, y, s.w);
  EXPECT_NE(run.units().root, 1.0);  // the data is far from unit scale: X is in problem units now
  run.stop();
  EXPECT_EQ(run.report().status, status::max_iterations);
  EXPECT_TRUE(std::isnan(run.report().relative_error));
  EXPECT_TRUE(same_bits(x, x_start));  // exact powers of two: back to the very same numbers
  EXPECT_TRUE(same_bits(y, y_start));
}

TEST(Solver, RejectedArgumentsWriteNothingAndFinishAtOnce) {
  Data& s = data();
  static Matrix<double, m, n> bad;
  static Matrix<double, m, d> x;
  static Matrix<double, n, d> y;
  bad = s.a;
  bad(3, 4) = std::numeric_limits<double>::quiet_NaN();
  fill(x, 3.0);
  fill(y, 4.0);
  auto problem = problems::full(bad);
  const methods::agd<double> method;
  auto run = make_solver(problem, method, init::random{1}, x, y, s.w);
  EXPECT_TRUE(run.finished());
  EXPECT_EQ(run.report().status, status::invalid_input);
  Record record;
  EXPECT_TRUE(run.advance(5, record));
  EXPECT_TRUE(record.entries.empty());
  EXPECT_EQ(x(0, 0), 3.0);
  EXPECT_EQ(y(n - 1, d - 1), 4.0);
  fill(bad, 0.0);  // zero_input: an exact zero factorization
  auto zero_problem = problems::full(bad);
  auto zero_run = make_solver(zero_problem, method, x, y, s.w);
  EXPECT_EQ(zero_run.report().status, status::zero_input);
  EXPECT_EQ(x(0, 0), 0.0);
}

TEST(Solver, FinalErrorIsTheNaiveResidualOfTheFactorsReturned) {  // independent of the driver
  Data& s = data();
  static Matrix<double, m, d> x;
  static Matrix<double, n, d> y;
  auto problem = problems::full(s.a);
  const auto method = default_method<double>();
  auto run = make_solver(problem, method, init::nystrom{}, x, y, s.w);
  while (!run.advance(2)) {
  }
  ASSERT_TRUE(succeeded(run.report().status));
  const double naive = relative_error_squared(s.a, x, y);
  EXPECT_NEAR(run.report().relative_error, naive, 1e-10 * naive + 1e-15);
  EXPECT_LE(naive, 1.001 * best_rank_relative_error_squared(s.a, d));  // stationary: the best rank-d fit
}

}  // namespace
}  // namespace lowrank::test
