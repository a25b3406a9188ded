// lowrank on a microcontroller (Cortex-M, RISC-V), bare metal: a fixed-size problem declared as static
// objects, a list of independent checks of the library against plain loops, and a short report on the
// semihosting console.
// Exit status (through semihosting, so QEMU's and ctest's): 0 when every check passes, 1 otherwise.
//
// Each check fills its own inputs from a seeded generator, so the checks can run in any order or alone.
// To add one: write `bool check_x(firmware::Line& detail) noexcept` (return pass/fail, put the
// figures in `detail`) and add `run<check_x>("x", tally);` in main().
#include <cstdint>
#include <limits>

#include <lowrank/lowrank.hpp>

#include "common/reference_problem.hpp"
#include "sensor_array/cleanup.hpp"
#include "sensor_stream/stream.hpp"
#include "semihosting.hpp"
#include "startup.hpp"
#include "text.hpp"

#ifndef LOWRANK_FIRMWARE_TARGET
#define LOWRANK_FIRMWARE_TARGET "cortex-m"
#endif

namespace {

using lowrank::index;
using lowrank::Matrix;

// ---- the problem: all storage static (.bss), every size a compile-time constant ------------------
constexpr index m = 32;  // rows of A
constexpr index n = 32;  // columns of A
constexpr index d = 8;   // rank of the factors

Matrix<float, m, n> A;
Matrix<float, m, d> X;   // left factor, and the m x d operands of the checks
Matrix<float, n, d> Y;   // right factor
Matrix<float, m, d> C;   // m x d results
Matrix<float, m, d> C0;  // a copy of C's or of a right-hand side's initial contents
Matrix<float, d, d> G;   // d x d Gram / SPD matrices
Matrix<float, d, d> L;   // Cholesky factors
// Packing buffers for every product below: results up to m x d over depths up to n (and d x d over m).
lowrank::GemmWorkspace<float, m, d, n> workspace;

// ---- helpers ----------------------------------------------------------------------------------------
float magnitude(float x) noexcept { return x < 0.0f ? -x : x; }
float larger(float x, float y) noexcept { return x != x || x > y ? x : y; }  // a NaN wins

/// Uniform in [-1, 1) from a 32-bit LCG (Numerical Recipes' constants): deterministic and tiny.
class uniform_generator {
 public:
  explicit uniform_generator(std::uint32_t seed) noexcept : state_(seed) {}
  float operator()() noexcept {
    state_ = state_ * 1664525u + 1013904223u;
    return static_cast<float>(state_ >> 8) * (1.0f / 8388608.0f) - 1.0f;
  }

 private:
  std::uint32_t state_;
};

template <index R, index K>
void fill_uniform(Matrix<float, R, K>& matrix, std::uint32_t seed) noexcept {
  uniform_generator next(seed);
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < K; ++j) matrix(i, j) = next();
}

template <index R, index K>
void copy(const Matrix<float, R, K>& from, Matrix<float, R, K>& to) noexcept {
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < K; ++j) to(i, j) = from(i, j);
}

/// G = W^T W + shift I (d x d), by plain loops: a symmetric positive definite test matrix.
template <index R>
void spd_from(const Matrix<float, R, d>& w, float shift, Matrix<float, d, d>& g) noexcept {
  for (index i = 0; i < d; ++i) {
    for (index j = 0; j < d; ++j) {
      float s = i == j ? shift : 0.0f;
      for (index p = 0; p < R; ++p) s += w(p, i) * w(p, j);
      g(i, j) = s;
    }
  }
}

/// Largest component-wise error of C against alpha op(A) op(B) + beta C0 computed by a plain loop,
/// relative to |alpha| |op(A)| |op(B)| + |beta| |C0| (the scale of the rounding errors a product can
/// make). beta == 0 ignores C0. Any NaN in C gives NaN.
template <class VA, class VB, class VC>
float product_error(float alpha, VA a, VB b, float beta, VC c0, VC c) noexcept {
  float worst = 0.0f;
  for (index i = 0; i < VC::rows; ++i) {
    for (index j = 0; j < VC::cols; ++j) {
      float exact = 0.0f;
      float scale = 0.0f;
      for (index p = 0; p < VA::cols; ++p) {
        exact += a(i, p) * b(p, j);
        scale += magnitude(a(i, p) * b(p, j));
      }
      exact *= alpha;
      scale *= magnitude(alpha);
      if (beta != 0.0f) {
        exact += beta * c0(i, j);
        scale += magnitude(beta * c0(i, j));
      }
      const float error = magnitude(c(i, j) - exact);
      worst = larger(worst, scale > 0.0f ? error / scale : error);
    }
  }
  return worst;
}

// Products of length-32 float sums: rounding errors are bounded by about 2 * 32 * 2^-24 = 3.8e-6
// of the scale; a wrong index or a missed tile gives errors of order 1.
constexpr float product_tolerance = 1e-5f;

bool within(firmware::Line& detail, const char* what, float error, float tolerance) noexcept {
  detail << what << ' ';
  detail.sci(error, 3) << " (tol ";
  detail.sci(tolerance, 1) << ')';
  return error <= tolerance;  // false for NaN
}

// ---- the checks ---------------------------------------------------------------------------------------

/// C = A Y (m x n times n x d) against a plain loop; C starts as NaN, which beta = 0 must ignore.
bool check_gemm(firmware::Line& detail) noexcept {
  fill_uniform(A, 101);
  fill_uniform(Y, 102);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < d; ++j) C(i, j) = std::numeric_limits<float>::quiet_NaN();
  lowrank::gemm(1.0f, A, Y, 0.0f, C, workspace);
  detail << m << 'x' << n << 'x' << d << ", ";
  return within(detail, "max rel err", product_error(1.0f, A.view(), Y.view(), 0.0f, C0.view(), C.view()),
                product_tolerance);
}

/// C = 0.5 A^T X - 2 C (a transposed operand, alpha and beta) against a plain loop.
bool check_gemm_transposed(firmware::Line& detail) noexcept {
  static_assert(n == m, "C is m x d and doubles as the n x d result of A^T X: give it its own matrix");
  fill_uniform(A, 201);
  fill_uniform(X, 202);
  fill_uniform(C, 203);
  copy(C, C0);
  lowrank::gemm(0.5f, lowrank::transpose(A), X, -2.0f, C, workspace);
  return within(detail, "max rel err",
                product_error(0.5f, lowrank::transpose(A.view()), X.view(), -2.0f, C0.view(), C.view()),
                product_tolerance);
}

/// G = Y^T Y (the d x d Gram matrix, through the blocked product) against a plain loop.
bool check_gram(firmware::Line& detail) noexcept {
  fill_uniform(Y, 301);
  lowrank::gram(Y, G, workspace);
  const auto yt = lowrank::transpose(Y.view());
  return within(detail, "max rel err", product_error(1.0f, yt, Y.view(), 0.0f, G.view(), G.view()),
                product_tolerance);
}

/// L L^T = G for the Cholesky factor of an SPD G, relative to |L| |L^T|.
bool check_cholesky(firmware::Line& detail) noexcept {
  fill_uniform(Y, 401);
  spd_from(Y, 0.0f, G);
  copy(G, L);
  const lowrank::status s = lowrank::cholesky_factor(L);
  detail << "status " << lowrank::to_string(s) << ", ";
  float worst = 0.0f;
  for (index i = 0; i < d; ++i) {
    for (index j = 0; j <= i; ++j) {
      float product = 0.0f;
      float scale = 0.0f;
      for (index p = 0; p <= j; ++p) {
        product += L(i, p) * L(j, p);
        scale += magnitude(L(i, p) * L(j, p));
      }
      worst = larger(worst, magnitude(product - G(i, j)) / scale);
    }
  }
  return within(detail, "max rel err of L L^T", worst, 1e-5f) && s == lowrank::status::ok;
}

/// Z = R G^-1 row by row from the Cholesky factor: the residual Z G - R relative to |Z| |G|.
bool check_cholesky_solve(firmware::Line& detail) noexcept {
  fill_uniform(X, 501);
  spd_from(X, 0.1f, G);
  copy(G, L);
  const lowrank::status s = lowrank::cholesky_factor(L);
  fill_uniform(C0, 502);  // R
  copy(C0, C);
  lowrank::cholesky_solve_rows(L, C);  // C = Z
  float worst = 0.0f;
  for (index i = 0; i < m; ++i) {
    for (index j = 0; j < d; ++j) {
      float product = 0.0f;
      float scale = 0.0f;
      for (index p = 0; p < d; ++p) {
        product += C(i, p) * G(p, j);
        scale += magnitude(C(i, p) * G(p, j));
      }
      worst = larger(worst, magnitude(product - C0(i, j)) / scale);
    }
  }
  detail << m << " rows, ";
  return within(detail, "max rel residual", worst, 1e-5f) && s == lowrank::status::ok;
}

/// cholesky_factor refuses an indefinite matrix and a NaN, and accepts the identity.
bool check_cholesky_rejects(firmware::Line& detail) noexcept {
  auto identity = [](Matrix<float, d, d>& g) noexcept {
    for (index i = 0; i < d; ++i)
      for (index j = 0; j < d; ++j) g(i, j) = i == j ? 1.0f : 0.0f;
  };
  identity(L);
  const lowrank::status on_identity = lowrank::cholesky_factor(L);
  identity(L);
  L(d - 1, d - 1) = -1.0f;
  const lowrank::status on_indefinite = lowrank::cholesky_factor(L);
  identity(L);
  L(d / 2, d / 2) = std::numeric_limits<float>::quiet_NaN();
  const lowrank::status on_nan = lowrank::cholesky_factor(L);
  detail << "I: " << lowrank::to_string(on_identity) << ", indefinite: " << lowrank::to_string(on_indefinite)
         << ", NaN: " << lowrank::to_string(on_nan);
  return on_identity == lowrank::status::ok && on_indefinite == lowrank::status::not_positive_definite &&
         on_nan == lowrank::status::not_positive_definite;
}

/// The library's Gaussian generator (lowrank::random) on this target: m x n samples, all finite, with
/// mean near 0 and variance near 1 (tolerances about 5 standard errors for 1024 samples).
bool check_gaussian(firmware::Line& detail) noexcept {
  lowrank::random::GaussianGenerator<float> generator(601);
  lowrank::random::fill_gaussian(generator, A);
  float sum = 0.0f;
  float sum_of_squares = 0.0f;
  bool finite = true;
  for (index i = 0; i < m; ++i) {
    for (index j = 0; j < n; ++j) {
      const float x = A(i, j);
      finite = finite && magnitude(x) <= std::numeric_limits<float>::max();
      sum += x;
      sum_of_squares += x * x;
    }
  }
  constexpr float count = static_cast<float>(m * n);
  const float mean = sum / count;
  const float variance = sum_of_squares / count - mean * mean;
  detail << m * n << " samples, mean ";
  detail.sci(mean, 3) << ", variance ";
  detail.sci(variance, 4);
  if (!finite) detail << ", NOT FINITE";
  return finite && magnitude(mean) < 0.15f && magnitude(variance - 1.0f) < 0.2f;
}

/// The uniform stream of seed 1 is the same, bit for bit, as on every other target.
bool check_uniform_stream(firmware::Line& detail) noexcept {
  lowrank::random::Xoshiro128StarStar uniform(1);
  bool same = true;
  for (std::uint32_t expected : lowrank::reference::uniform_stream_seed_1) same = same && uniform.next_u32() == expected;
  detail << "first " << sizeof(lowrank::reference::uniform_stream_seed_1) / sizeof(std::uint32_t)
         << " outputs of seed 1 " << (same ? "match" : "DIFFER FROM") << " the pinned values";
  return same;
}

/// The AGD solver end to end: the cross-target reference problem (32 x 32 rank 3, d = 4, proposed
/// initialization, eta = 0.5) converges to 1e-6 with the same iteration count and error as on the host.
lowrank::reference::storage reference_storage;
bool check_agd(firmware::Line& detail) noexcept {
  const lowrank::reference::outcome o = lowrank::reference::solve_reference_problem(reference_storage);
  detail << lowrank::to_string(o.result) << " after " << o.iterations << " iterations, relative error ";
  detail.sci(o.relative_error, 4) << " (host: " << lowrank::reference::expected_iterations << ", ";
  detail.sci(static_cast<float>(lowrank::reference::expected_relative_error), 4) << ')';
  return lowrank::reference::matches_reference(o);
}

/// The host example's cleaning (examples/sensor_array/cleanup.hpp) on a smaller array: 16 channels x
/// 32 samples of 2 sources (512 floats per matrix, as 8 x 64 would be: with 8 channels a time column
/// holds too few samples for the double thresholding to tell a spike from the signal), 1% noise, 20%
/// dropouts, 3% spikes of ~4. Robust PCA (AGD on the masked, thresholded problem) must bring the rms
/// error to the noise level and find every spike, no more.
constexpr index sensor_channels = 16, sensor_samples = 32, sensor_sources = 2;
sensor_array::Recording<sensor_channels, sensor_samples> sensor_recording;
// alpha = 0.25: up to 3 of the ~13 delivered samples of a time column may be spikes.
sensor_array::Cleaner<sensor_channels, sensor_samples, sensor_sources> sensor_cleaner(/*alpha=*/0.25f, /*noise=*/0.01f);
Matrix<float, sensor_channels, sensor_samples> sensor_estimate;
bool check_sensor_cleanup(firmware::Line& detail) noexcept {
  const sensor_array::corruption how;
  sensor_array::synthesize<sensor_sources>(sensor_recording, how);
  const auto report = sensor_cleaner.remove_spikes(sensor_recording.recorded);
  sensor_cleaner.reconstruct(sensor_estimate);
  const sensor_array::score error = sensor_array::rms_error(sensor_estimate, sensor_recording);
  const sensor_array::spike_score spikes = sensor_array::compare_spikes(sensor_cleaner.spikes(), sensor_recording.spiked);
  detail << lowrank::to_string(report.status) << " after " << report.iterations << " it, rms err ";
  detail.sci(error.rms_all, 2) << " (dropouts ";
  detail.sci(error.rms_dropouts, 2) << "), spikes " << spikes.correct << '/' << spikes.planted << " found, "
                                    << spikes.found - spikes.correct << " false";
  return error.rms_all <= 2.0f * how.noise && spikes.correct == spikes.planted && spikes.found == spikes.planted;
}

/// The host's sensor stream (examples/sensor_stream/stream.hpp) with frames of 32 samples: each frame
/// tracked by robust PCA in at most 8 AGD iterations, warm-started from the previous gains. From the
/// second frame on, the reconstruction must stay within 2 noise levels of the clean signal.
constexpr index stream_channels = 16, stream_samples = 32, stream_sources = 3, stream_frames = 6;
const sensor_stream::settings stream_settings;
sensor_stream::frame<stream_channels, stream_samples, stream_sources> stream_frame;
sensor_stream::tracker<stream_channels, stream_samples, stream_sources> stream_tracker(
    sensor_stream::tracking(stream_settings), lowrank::methods::agd<float>());
Matrix<float, stream_channels, stream_samples> stream_estimate;
bool check_sensor_stream(firmware::Line& detail) noexcept {
  lowrank::random::Xoshiro128StarStar uniform(1);
  lowrank::random::GaussianGenerator<float> gaussian(2);
  double worst = 0.0;
  index iterations = 0;
  for (index f = 0; f < stream_frames; ++f) {
    stream_frame.make(f, stream_settings, uniform, gaussian);
    const auto report = stream_tracker.track(stream_frame.recorded);
    if (!(report.status == lowrank::status::max_iterations || lowrank::succeeded(report.status))) {
      detail << "frame " << f << ": " << lowrank::to_string(report.status);
      return false;
    }
    sensor_stream::reconstruct(stream_tracker, stream_estimate);
    if (f > 0) {
      const double error = stream_frame.rms_error(stream_estimate);
      worst = error > worst ? error : worst;
      iterations += report.iterations;
    }
  }
  detail << stream_frames - 1 << " tracked frames in " << iterations << " it, worst rms err ";
  detail.sci(static_cast<float>(worst), 2);
  return worst <= 2.0 * static_cast<double>(stream_settings.noise);
}

/// A preconditioned solver end to end: PrecGD (damping sqrt(f)) on the same matrix, over-parameterized
/// (d = 4 > r = 3), from a small random start; converges linearly to 1e-9 as on the host.
bool check_precgd(firmware::Line& detail) noexcept {
  const lowrank::reference::outcome o = lowrank::reference::solve_reference_problem_precgd(reference_storage);
  detail << lowrank::to_string(o.result) << " after " << o.iterations << " iterations, relative error ";
  detail.sci(o.relative_error, 4) << " (host: " << lowrank::reference::expected_precgd_iterations << ')';
  return lowrank::reference::matches_precgd_reference(o) && o.relative_error <= 1e-9f;
}

// ---- the report -------------------------------------------------------------------------------------------

void print(const firmware::Line& line) noexcept {
  semihosting::write(line.c_str());
  semihosting::write("\n");
}

struct check_tally {
  std::uint32_t run = 0;
  std::uint32_t passed = 0;
};

/// Runs one check and prints "name: PASS detail" or "name: FAIL detail". The check is a template
/// argument, so the call is direct and the stack report can follow it; out of line, so that main's
/// frame does not hold every check's locals at once.
template <bool (&Check)(firmware::Line&) noexcept>
__attribute__((noinline)) void run(const char* name, check_tally& tally) noexcept {
  firmware::Line detail;
  const bool ok = Check(detail);
  ++tally.run;
  tally.passed += ok ? 1u : 0u;
  semihosting::write(name);
  semihosting::write(ok ? ": PASS " : ": FAIL ");
  print(detail);
}

}  // namespace

int main() {
  using workspace_type = decltype(workspace);
  firmware::Line line;
  line << "lowrank firmware self-test on " << LOWRANK_FIRMWARE_TARGET << " (";
  firmware::describe_cpu(line);
  line << "), " << lowrank::kernels::native_isa << " kernel " << workspace_type::kernel::mr << 'x'
       << workspace_type::kernel::nr << ", blocks mc " << workspace_type::mc << " kc " << workspace_type::kc
       << " nc " << workspace_type::nc;
  print(line);

  // The checks, each independent of the others.
  check_tally tally;
  run<check_gemm>("gemm A Y", tally);
  run<check_gemm_transposed>("gemm 0.5 A^T X - 2 C", tally);
  run<check_gram>("gram Y^T Y", tally);
  run<check_cholesky>("cholesky_factor", tally);
  run<check_cholesky_solve>("cholesky_solve_rows", tally);
  run<check_cholesky_rejects>("cholesky rejects", tally);
  run<check_gaussian>("random gaussian", tally);
  run<check_uniform_stream>("uniform stream", tally);
  run<check_agd>("agd solve", tally);
  run<check_precgd>("precgd solve", tally);
  run<check_sensor_cleanup>("sensor cleanup", tally);
  run<check_sensor_stream>("sensor stream", tally);

  line.clear();
  line << "memory: static RAM " << firmware::static_ram() << " B (.data+.bss), stack high-water "
       << firmware::stack_high_water() << " B of " << firmware::stack_size() << " B";
  print(line);
  line.clear();
  line << "result: " << tally.passed << '/' << tally.run << " checks passed";
  print(line);
  return tally.passed == tally.run ? 0 : 1;
}
