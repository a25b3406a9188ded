// streaming::grouse against independent references (principal angles in double to a planted
// subspace): with half of every column missing it converges to a static subspace to 1e-6 and
// tracks a slowly rotating one within the bound below; U stays orthonormal; columns it cannot use
// leave it unchanged.
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

constexpr index m = 60;
constexpr index d = 4;
constexpr double missing = 0.5;

/// U_t = Q1 cos(t theta) + Q2 sin(t theta): exactly theta from U_{t-1}; columns U_t c, c Gaussian,
/// each entry missing (NaN) with probability `missing`.
struct Stream {
  std::mt19937_64 rng{17};
  std::vector<double> q = detail::random_orthonormal(m, 2 * d, rng);
  double theta;
  explicit Stream(double theta_in) : theta(theta_in) {}

  std::vector<double> basis(index t) const {
    std::vector<double> u(m * d);
    const double c = std::cos(theta * static_cast<double>(t)), s = std::sin(theta * static_cast<double>(t));
    for (index i = 0; i < m; ++i)
      for (index k = 0; k < d; ++k) u[i * d + k] = c * q[i * 2 * d + k] + s * q[i * 2 * d + d + k];
    return u;
  }
  void column(index t, Matrix<double, m, 1>& v) {
    const std::vector<double> u = basis(t);
    std::normal_distribution<double> gaussian(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    double c[d];
    for (double& x : c) x = gaussian(rng);
    for (index i = 0; i < m; ++i) {
      double value = 0.0;
      for (index k = 0; k < d; ++k) value += u[i * d + k] * c[k];
      v(i, 0) = uniform(rng) < missing ? std::numeric_limits<double>::quiet_NaN() : value;
    }
  }
};

double orthonormality_error(const Matrix<double, m, d>& u) {
  double worst = 0.0;
  for (index a = 0; a < d; ++a)
    for (index b = 0; b < d; ++b) {
      double dot = 0.0;
      for (index i = 0; i < m; ++i) dot += u(i, a) * u(i, b);
      worst = std::fmax(worst, std::fabs(dot - (a == b ? 1.0 : 0.0)));
    }
  return worst;
}

TEST(Grouse, HalfMissingConvergesToAStaticSubspace) {
  Stream stream(0.0);
  streaming::grouse<double, m, d> tracker;
  Matrix<double, m, 1> v;
  const std::vector<double> truth = stream.basis(0);
  const double start = largest_principal_angle<m, d>(truth, d, tracker.subspace());
  EXPECT_GT(start, 0.5);  // a random start is far from it
  double angle = start;
  index t = 0;
  for (; t < 5000 && angle > 1e-7; ++t) {
    stream.column(0, v);
    ASSERT_EQ(tracker.update(v), status::ok);
    if (t % 50 == 0) angle = largest_principal_angle<m, d>(truth, d, tracker.subspace());
  }
  EXPECT_LE(angle, 1e-6) << "after " << t << " columns";
  EXPECT_LE(orthonormality_error(tracker.subspace()), 1e-13);
}

TEST(Grouse, TracksASlowlyRotatingSubspaceWithinTheBound) {
  // Balzano & Wright (2015): near the subspace, the expected sum of squared sines of the angles
  // falls by about |Omega| / (m d) per column, the angle by about |Omega| / (2 m d); a drift of
  // theta per column then settles at about 2 theta m d / |Omega|. The test allows twice that.
  const double theta = 1e-4;
  Stream stream(theta);
  streaming::grouse<double, m, d> tracker;
  Matrix<double, m, 1> v;
  const double observed = (1.0 - missing) * static_cast<double>(m);
  const double bound = 4.0 * theta * static_cast<double>(m * d) / observed;
  double worst = 0.0;
  for (index t = 0; t < 6000; ++t) {
    stream.column(t, v);
    ASSERT_EQ(tracker.update(v), status::ok);
    if (t >= 2000 && t % 20 == 0) {
      const double angle = largest_principal_angle<m, d>(stream.basis(t), d, tracker.subspace());
      worst = std::fmax(worst, angle);
    }
  }
  EXPECT_LE(worst, bound);
  EXPECT_GT(worst, theta);  // it lags: the bound is not vacuous
  EXPECT_LE(orthonormality_error(tracker.subspace()), 1e-13);
}

TEST(Grouse, ColumnsWithTooFewEntriesLeaveTheSubspace) {
  streaming::grouse<double, m, d> tracker;
  const Matrix<double, m, d> before = tracker.subspace();
  Matrix<double, m, 1> v;
  fill(v, std::numeric_limits<double>::quiet_NaN());
  for (index i = 0; i + 1 < d; ++i) v(i, 0) = 1.0;  // d - 1 entries: w is not determined
  EXPECT_EQ(tracker.update(v), status::unobservable);
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) ASSERT_EQ(tracker.subspace()(i, k), before(i, k));
  EXPECT_EQ(tracker.updates(), 0u);
  streaming::grouse_options<double> bad;
  bad.step_scale = 0.0;
  streaming::grouse<double, m, d> misconfigured(bad);
  fill(v, 1.0);
  EXPECT_EQ(misconfigured.update(v), status::invalid_argument);
}

TEST(Grouse, AFullyObservedColumnIsFittedExactlyByTheGreedyStep) {  // the geodesic reaches v
  streaming::grouse<double, m, d> tracker;
  Matrix<double, m, 1> v;
  std::mt19937_64 rng(4);
  std::normal_distribution<double> gaussian(0.0, 1.0);
  for (index i = 0; i < m; ++i) v(i, 0) = gaussian(rng);
  ASSERT_EQ(tracker.update(v), status::ok);
  // v now lies in span(U): its least-squares residual is rounding.
  const Matrix<double, m, d>& u = tracker.subspace();
  double residual = 0.0, norm = 0.0;
  for (index i = 0; i < m; ++i) {
    double projection = 0.0;
    for (index k = 0; k < d; ++k) {
      double c = 0.0;
      for (index j = 0; j < m; ++j) c += u(j, k) * v(j, 0);
      projection += u(i, k) * c;
    }
    residual += (v(i, 0) - projection) * (v(i, 0) - projection);
    norm += v(i, 0) * v(i, 0);
  }
  EXPECT_LE(std::sqrt(residual / norm), 1e-13);
}

}  // namespace
}  // namespace lowrank::test
