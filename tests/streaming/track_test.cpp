// streaming::frame_tracker against independent references: on frames whose column and row spaces
// rotate by a known angle per frame, the tracked subspace stays within the subspace-iteration bound
// of each frame's truncated SVD (Jacobi SVD in double); with forgetting it fits the exponentially
// weighted mean of the frames (a naive double recursion); with dropouts it completes a static
// low-rank stream; bad options are rejected.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "streaming/principal_angle.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr index m = 40;
constexpr index n = 30;
constexpr index d = 3;

/// Frame t: U_t diag(3, 2, 1) V_t^T + noise, U_t = Q1 cos(t theta) + Q2 sin(t theta) (Q1, Q2 the
/// two halves of a random orthonormal m x 2d basis; V_t likewise): consecutive frames' column and
/// row spaces are exactly theta apart.
struct RotatingStream {
  std::vector<double> q = detail::random_orthonormal(m, 2 * d, rng());
  std::vector<double> p = detail::random_orthonormal(n, 2 * d, rng());
  double theta;
  double noise;
  std::mt19937_64 noise_rng{99};

  RotatingStream(double theta_in, double noise_in) : theta(theta_in), noise(noise_in) {}
  static std::mt19937_64& rng() {
    static std::mt19937_64 r(5);
    return r;
  }
  template <class MA>
  void frame(index t, MA& a) {
    const double c = std::cos(theta * static_cast<double>(t));
    const double s = std::sin(theta * static_cast<double>(t));
    std::normal_distribution<double> gaussian(0.0, noise);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) {
        double v = 0.0;
        for (index k = 0; k < d; ++k) {
          const double u_ik = c * q[i * 2 * d + k] + s * q[i * 2 * d + d + k];
          const double v_jk = c * p[j * 2 * d + k] + s * p[j * 2 * d + d + k];
          v += (3.0 - static_cast<double>(k)) * u_ik * v_jk;
        }
        a(i, j) = v + gaussian(noise_rng);
      }
  }
};

streaming::track_options<double> exactly(index iterations) {
  streaming::track_options<double> o;
  o.per_frame.max_iterations = iterations;
  o.per_frame.target_relative_error = 0.0;  // no early stop: the bound counts the iterations
  o.per_frame.stationary_tolerance = 0.0;
  return o;
}

TEST(Track, RotatingSubspaceStaysWithinTheSubspaceIterationBound) {
  // Alternating least squares from Y_0: X_K spans A Y_{K-1}, so (the SVD of each frame)
  // tan angle(X_K, U_t) <= r^(2K - 1) tan angle(Y_0, V_t), r = sigma_{d+1} / sigma_d, and Y_0 (the
  // previous frame's Y) is within angle(Y_{t-1}, V_{t-1}) + angle(V_{t-1}, V_t) of V_t.
  constexpr index iterations = 2;
  const double theta = 0.02;  // rad per frame
  RotatingStream stream(theta, 1e-4);
  static streaming::frame_tracker<double, m, n, d> tracker(exactly(iterations));
  static Matrix<double, m, n> a;
  std::vector<double> previous_v;
  double previous_angle_y = 0.0;
  double worst = 0.0;
  for (index t = 0; t < 40; ++t) {
    stream.frame(t, a);
    const auto report = tracker.track(a);
    ASSERT_TRUE(report.status == status::max_iterations || succeeded(report.status)) << to_string(report.status);
    const SvdResult svd = svd_double(a);
    const double angle_x = largest_principal_angle<m, d>(svd.u, svd.k, tracker.x());
    const double angle_y = largest_principal_angle<n, d>(svd.v, svd.k, tracker.y());
    if (t > 0) {
      EXPECT_LE(report.iterations, iterations);
      const double frame_change = largest_principal_angle<n, d>(svd.v, svd.k, [&] {
        Matrix<double, n, d> v;
        for (index j = 0; j < n; ++j)
          for (index k = 0; k < d; ++k) v(j, k) = previous_v[j * svd.k + k];
        return v;
      }());
      EXPECT_NEAR(frame_change, theta, 0.15 * theta);  // the construction's angle, seen through the noise
      const double r = svd.s[d] / svd.s[d - 1];
      const double bound = std::atan(std::pow(r, 2 * iterations - 1) * std::tan(previous_angle_y + frame_change));
      EXPECT_LE(angle_x, 1.001 * bound + 1e-12) << "frame " << t;
      worst = angle_x > worst ? angle_x : worst;
    }
    previous_v = svd.v;
    previous_angle_y = angle_y;
  }
  EXPECT_LT(worst, 1e-5);  // the stated bound: far below the rotation per frame, 0.02
}

TEST(Track, ForgettingFitsTheExponentiallyWeightedMeanOfTheFrames) {
  const double beta = 0.75;
  RotatingStream stream(0.05, 0.05);
  auto options = exactly(300);  // to the optimum: ALS converges at (sigma_4 / sigma_3)^2 per iteration
  options.forgetting = beta;
  static streaming::frame_tracker<double, m, n, d> tracker(options);
  static Matrix<double, m, n> a;
  static Matrix<double, m, n> mean;  // the naive recursion
  for (index t = 0; t < 12; ++t) {
    stream.frame(t, a);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) mean(i, j) = t == 0 ? a(i, j) : (1.0 - beta) * a(i, j) + beta * mean(i, j);
    const auto report = tracker.track(a);
    ASSERT_TRUE(succeeded(report.status) || report.status == status::max_iterations);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) ASSERT_NEAR(tracker.memory()(i, j), mean(i, j), 1e-12);
    const SvdResult svd = svd_double(mean);
    EXPECT_LT((largest_principal_angle<m, d>(svd.u, svd.k, tracker.x())), 1e-6) << "frame " << t;
    EXPECT_LE(relative_error_squared(mean, tracker.x(), tracker.y()),
              (1.0 + 1e-6) * best_rank_relative_error_squared(mean, d));
  }
  // The memory is not the last frame: with beta = 0.75 it lags the rotation.
  const SvdResult last = svd_double(a);
  EXPECT_GT((largest_principal_angle<m, d>(last.u, last.k, tracker.x())), 0.05);
}

TEST(Track, DropoutsInAStaticLowRankStreamAreCompleted) {
  RotatingStream stream(0.0, 0.0);  // exactly rank 3, the same every frame
  streaming::track_options<double> options;
  options.per_frame.target_relative_error = 1e-20;
  options.per_frame.max_iterations = 20;
  static streaming::frame_tracker<double, m, n, d> tracker(options);
  static Matrix<double, m, n> a, clean;
  stream.frame(0, clean);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double angle = 1.0;
  for (index t = 0; t < 30; ++t) {
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j)
        a(i, j) = u(rng) < 0.2 ? std::numeric_limits<double>::quiet_NaN() : clean(i, j);
    const auto report = tracker.track(a);
    ASSERT_NE(report.status, status::invalid_input);
    EXPECT_LT(tracker.observed().count(), m * n);  // a completion problem each frame
    const SvdResult svd = svd_double(clean);
    angle = largest_principal_angle<m, d>(svd.u, svd.k, tracker.x());
  }
  EXPECT_LT(angle, 1e-6);
  EXPECT_LT(relative_error_squared(clean, tracker.x(), tracker.y()), 1e-10);
}

TEST(Track, RefitColumnsCarriesOnlyXAndSetsSpikesAside) {
  // Frames of new samples through fixed gains: A_t = G C_t^T, C_t fresh each frame, 3% of the
  // entries spiked by +-10. Refitting Y to the previous X with spikes left out makes each frame's
  // start as good as X, and each frame's iterations improve X further: the error falls frame
  // after frame from wherever the cold first frame left it, until a frame's start meets the target.
  std::mt19937_64 rng(8);
  const std::vector<double> g = detail::random_orthonormal(m, d, rng);
  std::normal_distribution<double> gaussian(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  streaming::track_options<double> options;
  options.per_frame.max_iterations = 20;
  options.sparse_fraction = 0.2;
  options.outlier_floor = 1e-3;
  options.refit_columns = true;
  static streaming::frame_tracker<double, m, n, d, methods::agd<double>> tracker(options, methods::agd<double>());
  static Matrix<double, m, n> a, clean;
  double previous = std::numeric_limits<double>::infinity();
  for (index t = 0; t < 10; ++t) {
    double c[n][d];
    for (auto& row : c)
      for (double& v : row) v = gaussian(rng);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) {
        double v = 0.0;
        for (index k = 0; k < d; ++k) v += g[i * d + k] * c[j][k];
        clean(i, j) = v;
        a(i, j) = v + (uniform(rng) < 0.03 ? (uniform(rng) < 0.5 ? -10.0 : 10.0) : 0.0);
      }
    const auto report = tracker.track(a);
    ASSERT_TRUE(succeeded(report.status) || report.status == status::max_iterations);
    const double error = relative_error_squared(clean, tracker.x(), tracker.y());
    if (t >= 1) {
      EXPECT_LE(report.iterations, 20u);
      // A frame whose refitted start already meets the target runs no iteration: X stays as it was.
      const bool started_at_target = report.status == status::converged && report.iterations == 0;
      if (previous > 1e-20 && !started_at_target) {
        EXPECT_LT(error, previous) << "frame " << t;
      }
    }
    previous = error;
  }
  EXPECT_LT(previous, 1e-7);
}

TEST(Track, OptionsOutOfRangeAreRejectedAndTheFactorsStay) {
  RotatingStream stream(0.0, 0.0);
  static Matrix<double, m, n> a;
  stream.frame(0, a);
  auto options = exactly(3);
  options.forgetting = 1.0;  // would never forget the first frame: out of range
  static streaming::frame_tracker<double, m, n, d> tracker(options);
  EXPECT_EQ(tracker.track(a).status, status::invalid_argument);
  EXPECT_EQ(tracker.frames(), 0u);
  EXPECT_EQ(tracker.x()(0, 0), 0.0);
}

}  // namespace
}  // namespace lowrank::test
