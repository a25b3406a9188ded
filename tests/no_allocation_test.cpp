// Fails if the core allocates: the global operator new family is replaced with counting versions, and
// malloc/calloc/realloc are wrapped at link time (-Wl,--wrap), for a GEMM, a Gaussian fill, a
// Cholesky solve, sigma_1 estimation, whole solver runs from every initialization, resumable ones,
// frame tracking and GROUSE, and the linear algebra built on them (thin and truncated SVD, PCA, least
// squares).
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <new>

#include <lowrank/lowrank.hpp>
#include <lowrank/methods/feedback_alignment.hpp>
#include <lowrank/problems/masked.hpp>
#include <lowrank/problems/robust.hpp>

namespace {
int g_allocations = 0;
bool g_counting = false;
void note_allocation() {
  if (g_counting) ++g_allocations;
}
}  // namespace

extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
}

void* operator new(std::size_t size) {
  note_allocation();
  void* p = __real_malloc(size == 0 ? 1 : size);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

extern "C" {
void* __wrap_malloc(std::size_t size) {
  note_allocation();
  return __real_malloc(size);
}
void* __wrap_calloc(std::size_t count, std::size_t size) {
  note_allocation();
  return __real_calloc(count, size);
}
void* __wrap_realloc(void* p, std::size_t size) {
  note_allocation();
  return __real_realloc(p, size);
}
}

namespace lowrank::test {
namespace {

/// Counts allocations made while it is alive.
struct AllocationCounter {
  AllocationCounter() {
    g_allocations = 0;
    g_counting = true;
  }
  ~AllocationCounter() { g_counting = false; }
  int count() const { return g_allocations; }
};

static Matrix<float, 100, 100> a;
static Matrix<float, 100, 10> x, ax;
static Matrix<float, 100, 10> y;
static RobustWorkspace<float, 100, 100, 10> w;  // serves every problem below

TEST(NoAllocation, CounterWorks) {  // the check can fail: a deliberate allocation is seen
  AllocationCounter counter;
  void* volatile p = std::malloc(16);  // volatile: the pairs may not be optimised away
  std::free(p);
  int* volatile q = new int(3);
  delete q;
  EXPECT_EQ(counter.count(), 2);
}

TEST(NoAllocation, KernelsGeneratorAndCholesky) {
  AllocationCounter counter;
  random::GaussianGenerator<float> gaussian(1);
  random::fill_gaussian(gaussian, a);
  random::fill_gaussian(gaussian, y);
  gemm(1.0f, a, y, 0.0f, ax, w.gemm);
  gemm(0.5f, transpose(a), x, 1.0f, y, w.gemm);
  gram(y, w.gram_y, w.gemm);
  for (index i = 0; i < 10; ++i) w.gram_y(i, i) += 1.0f;
  EXPECT_EQ(cholesky_factor(w.gram_y), status::ok);
  cholesky_solve_rows(w.gram_y, x);
  EXPECT_EQ(counter.count(), 0);
}

TEST(NoAllocation, SolversFromEveryInitialization) {
  random::GaussianGenerator<float> gaussian(2);
  random::fill_gaussian(gaussian, block<0, 0, 100, 10>(a.view()));  // rank <= 10 plus nothing
  for (index i = 0; i < 100; ++i)
    for (index j = 10; j < 100; ++j) a(i, j) = a(i, j % 10) * 0.5f;
  auto problem = problems::full(a);
  solve_options<float> options;
  options.max_iterations = 50;
  AllocationCounter counter;
  solve(problem, methods::agd<float>(0.1f), init::proposed<float>{1}, x, y, w, options);
  solve(problem, methods::gd<float>(0.1f), init::colspan{1}, x, y, w, options);
  solve(problem, methods::agd<float>(0.1f), init::random{1}, x, y, w, options);
  solve(problem, methods::agd<float>(0.1f), init::random_asym{1}, x, y, w, options);
  History<float, 16> history;
  solve(problem, methods::agd<float>(0.1f), init::random{1}, x, y, w, options, history);
  EXPECT_EQ(counter.count(), 0);
}

TEST(NoAllocation, PreconditionedMethodsNystromSymmetricAndSensing) {
  random::GaussianGenerator<float> gaussian(3);
  random::fill_gaussian(gaussian, block<0, 0, 100, 4>(a.view()));  // rank 4 < d = 10: singular Grams
  for (index i = 0; i < 100; ++i)
    for (index j = 4; j < 100; ++j) a(i, j) = a(i, j % 4) * 0.25f;
  auto problem = problems::full(a);
  solve_options<float> options;
  options.max_iterations = 30;
  static Matrix<float, 32, 32> psd;
  static Matrix<float, 32, 4> xs;
  static SymmetricWorkspace<float, 32, 4> ws;
  static Matrix<float, 40, 1> b;
  static Matrix<float, 12, 4> xm;
  static SensingWorkspace<float, 12, 4> wm;
  AllocationCounter counter;
  solve(problem, methods::scaled_gd<float>(0.5f), init::nystrom{1}, x, y, w, options);
  solve(problem, methods::scaled_agd<float>(0.5f), init::random{1}, x, y, w, options);
  solve(problem, methods::precgd<float>(0.5f), init::nystrom{1}, x, y, w, options);
  solve(problem, methods::precgd<float, methods::update_order::alternating>(0.5f), init::colspan{1}, x, y, w, options);
  gemm(1.0f, block<0, 0, 32, 4>(a.view()), transpose(block<0, 0, 32, 4>(a.view())), 0.0f, psd, w.gemm);
  auto symmetric = problems::symmetric(psd);
  symmetric.validate();
  initialize(init::nystrom{1}, symmetric, 0.25f, xs, ws);
  solve_symmetric(symmetric, methods::precgd<float>(0.25f), xs, ws, options);
  solve_symmetric(symmetric, methods::scaled_gd<float>(0.25f), xs, ws, options);
  auto sensing = problems::sensing<12>(5, b);
  sensing.measure(block<0, 0, 12, 12>(psd.view()), b);
  random::fill_gaussian(gaussian, xm);
  scale(0.01f, xm);
  solve_symmetric(sensing, methods::precgd<float>(0.25f), xm, wm, options);
  EXPECT_EQ(counter.count(), 0);
}

TEST(NoAllocation, CompletionRobustPcaAndFeedbackAlignment) {
  static Matrix<float, 100, 100> observed_a;  // the completion problem zeroes its unobserved entries
  static BitMask<100, 100> observed;
  static methods::feedback_alignment<float, 100, 10> feedback(0.1f, 1);  // B drawn before counting
  random::GaussianGenerator<float> gaussian(3);
  random::fill_gaussian(gaussian, block<0, 0, 100, 10>(a.view()));
  for (index i = 0; i < 100; ++i)
    for (index j = 10; j < 100; ++j) a(i, j) = a(i, j % 10) * 0.5f;
  for (index i = 0; i < 100; ++i)
    for (index j = 0; j < 100; ++j) {
      observed.set(i, j, (i + 2 * j) % 3 != 0);
      observed_a(i, j) = a(i, j);
    }
  a(5, 7) += 40.0f;  // an outlier for robust PCA
  solve_options<float> options;
  options.max_iterations = 50;
  AllocationCounter counter;
  auto completion = problems::masked(observed_a, observed);
  solve(completion, methods::agd<float>(0.5f), init::proposed<float>{1}, x, y, w, options);
  auto robust = problems::robust(a, problems::robust_options<float>{0.1f, 0.25f, 1e-3f});
  solve(robust, methods::agd<float>(0.5f), init::random{1}, x, y, w, options);
  robust.estimate_sparse(x, y, w);
  auto robust_completion = problems::robust(observed_a, observed, problems::robust_options<float>{0.1f});
  solve(robust_completion, methods::gd<float>(0.5f), init::random{1}, x, y, w, options);
  auto full = problems::full(a);
  solve(full, feedback, init::colspan{1}, x, y, w, options);
  EXPECT_EQ(counter.count(), 0);
}

TEST(NoAllocation, ThinSvdTruncatedSvdPcaAndLeastSquares) {
  static Matrix<float, 10, 1> s;
  static linalg::ThinSvdWorkspace<float, 100, 100, 10> svd_work;
  static linalg::pca_model<float, 100, 10> model;
  static Matrix<float, 100, 3> b, coefficients;
  static Matrix<float, 5, 100> rebuilt;
  random::GaussianGenerator<float> gaussian(4);
  random::fill_gaussian(gaussian, block<0, 0, 100, 10>(a.view()));
  for (index i = 0; i < 100; ++i)
    for (index j = 10; j < 100; ++j) a(i, j) = a(i, j % 10) * 0.5f + 0.25f;
  random::fill_gaussian(gaussian, x);
  random::fill_gaussian(gaussian, y);
  random::fill_gaussian(gaussian, b);
  solve_options<float> options;
  options.max_iterations = 30;
  AllocationCounter counter;
  linalg::thin_svd(x, y, x, s, y, svd_work);
  linalg::truncated_svd(a, x, s, y, w, options);
  linalg::solve_least_squares(x, s, y, b, coefficients);
  linalg::fit_pca(a, model, x, w, options);
  model.project(block<0, 0, 5, 100>(a.view()), block<0, 0, 5, 10>(ax.view()));
  model.reconstruct(block<0, 0, 5, 10>(ax.view()), rebuilt);
  EXPECT_EQ(counter.count(), 0);
}

TEST(NoAllocation, ResumableSolver) {
  random::GaussianGenerator<float> gaussian(5);
  random::fill_gaussian(gaussian, block<0, 0, 100, 10>(a.view()));
  for (index i = 0; i < 100; ++i)
    for (index j = 10; j < 100; ++j) a(i, j) = a(i, j % 10) * 0.5f;
  auto problem = problems::full(a);
  const methods::agd<float> method(0.1f);
  solve_options<float> options;
  options.max_iterations = 50;
  AllocationCounter counter;
  auto run = make_solver(problem, method, init::random{1}, x, y, w, options);
  while (!run.advance(7)) {
  }
  auto stopped = make_solver(problem, method, x, y, w, options);
  stopped.advance(3);
  stopped.stop();
  EXPECT_EQ(counter.count(), 0);
}

TEST(NoAllocation, FrameTrackingAndGrouse) {
  static streaming::frame_tracker<float, 100, 100, 10> tracker;
  static streaming::track_options<float> robust_options;
  robust_options.sparse_fraction = 0.1f;
  robust_options.forgetting = 0.5f;
  static streaming::frame_tracker<float, 100, 100, 10> robust_tracker(robust_options);
  static streaming::grouse<float, 100, 10> subspace;
  static Matrix<float, 100, 1> column;
  random::GaussianGenerator<float> gaussian(6);
  random::fill_gaussian(gaussian, block<0, 0, 100, 10>(a.view()));
  for (index i = 0; i < 100; ++i)
    for (index j = 10; j < 100; ++j) a(i, j) = a(i, j % 10) * 0.5f;
  AllocationCounter counter;
  for (index frame = 0; frame < 3; ++frame) {
    tracker.track(a);
    a(frame, 2 * frame) = std::numeric_limits<float>::quiet_NaN();  // a dropout: completion next
    robust_tracker.track(a);
  }
  for (index j = 0; j < 20; ++j) {
    for (index i = 0; i < 100; ++i) column(i, 0) = (i + j) % 2 == 0 ? a(i, j % 10) : std::numeric_limits<float>::quiet_NaN();
    subspace.update(column);
  }
  EXPECT_EQ(counter.count(), 0);
}

}  // namespace
}  // namespace lowrank::test
