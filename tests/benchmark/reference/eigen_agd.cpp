// Reference: what a C++ user writes today for the factorization A ~ X Y^T, with Eigen's fixed-size
// matrices (float, one core): one alternating gradient descent (AGD) iteration in two forms, and, on the
// same matrix, Eigen's BDCSVD and JacobiSVD (thin U and V) and a randomized SVD of rank d. These are the
// Eigen figures of compare.sh's AGD and time-to-solution tables. Prints one JSON line per shape, times in
// microseconds:
// {"case":"agd_iter","impl":"eigen","m":..,"n":..,"d":..,"r":..,"residual_us":..,"gram_us":..,
//  "bdcsvd_us":..,"jacobisvd_us":..,"rsvd_us":..}   (jacobisvd_us is -1 where it is not run: m > 128)
//
// The iteration, with step eta = 0.1 and 50 iterations per timing:
//   residual form: R = X Y^T - A, X -= eta R Y, then R = X Y^T - A, Y -= eta R^T X (R is m x n);
//   Gram form:     X -= eta (X (Y^T Y) - A Y), then Y -= eta (Y (X^T X) - A^T X) (only m x d, n x d, d x d).
// The data, per shape, from std::mt19937 seeded 42 and one std::normal_distribution<float>, drawn in
// this order (column by column): U (m x r) and V (n x r), whose QR factors' thin Q give
// A = Q_U diag(s) Q_V^T with s from 1 down to 0.9; X (m x d) and Y (n x d), scaled by 0.1; X and Y again
// for the Gram form; the randomized SVD's test matrix (n x d).
#include <Eigen/Dense>

#include <algorithm>
#include <cstdio>
#include <random>

#include "timing.hpp"

namespace {

constexpr double kBudgetSeconds = 0.4;
constexpr float kStep = 0.1f;
constexpr int kIterationsPerTiming = 50;
constexpr int kLargestJacobi = 128;  // JacobiSVD is run only up to this many rows (it is O(n^3) sweeps)

class GaussianSource {
 public:
  explicit GaussianSource(unsigned seed) : gen_(seed) {}
  /// Fills a matrix with N(0, 1) entries in storage order (column-major: column by column).
  template <class Matrix>
  void fill(Matrix& a) {
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = normal_(gen_);
  }

 private:
  std::mt19937 gen_;
  std::normal_distribution<float> normal_;
};

/// The first `cols` columns of the Q factor of a Householder QR of `a`: an orthonormal basis of its range.
Eigen::MatrixXf thin_q(const Eigen::MatrixXf& a, Eigen::Index cols) {
  const Eigen::HouseholderQR<Eigen::MatrixXf> qr(a);
  return qr.householderQ() * Eigen::MatrixXf::Identity(a.rows(), cols);
}

/// A = Q_U diag(s) Q_V^T of rank r, s evenly from 1 down to 0.9, Q_U and Q_V from Gaussian U and V.
template <int M, int N>
void make_low_rank(Eigen::Matrix<float, M, N>& a, int r, GaussianSource& source) {
  Eigen::MatrixXf u(M, r), v(N, r);
  source.fill(u);
  source.fill(v);
  const Eigen::MatrixXf q_u = thin_q(u, r), q_v = thin_q(v, r);
  Eigen::VectorXf s(r);
  for (int i = 0; i < r; ++i) s(i) = 1.0f - 0.1f * static_cast<float>(i) / static_cast<float>(std::max(1, r - 1));
  a = q_u * s.asDiagonal() * q_v.transpose();
}

template <class Matrix>
void fill_small_gaussian(Matrix& a, GaussianSource& source) {
  source.fill(a);
  a *= 0.1f;
}

/// Seconds per iteration of the residual form (forms the m x n residual twice per iteration).
template <int M, int N, int D>
double residual_form_seconds(const Eigen::Matrix<float, M, N>& a, Eigen::Matrix<float, M, D>& x,
                             Eigen::Matrix<float, N, D>& y) {
  static Eigen::Matrix<float, M, N> residual;
  return reference::fastest_seconds([&] {
           for (int t = 0; t < kIterationsPerTiming; ++t) {
             residual.noalias() = x * y.transpose();
             residual -= a;
             x.noalias() -= kStep * residual * y;
             residual.noalias() = x * y.transpose();
             residual -= a;
             y.noalias() -= kStep * residual.transpose() * x;
           }
         }, kBudgetSeconds) /
         kIterationsPerTiming;
}

/// Seconds per iteration of the Gram form (A is only read by A Y and A^T X).
template <int M, int N, int D>
double gram_form_seconds(const Eigen::Matrix<float, M, N>& a, Eigen::Matrix<float, M, D>& x,
                         Eigen::Matrix<float, N, D>& y) {
  static Eigen::Matrix<float, M, D> a_y;
  static Eigen::Matrix<float, N, D> a_t_x;
  Eigen::Matrix<float, D, D> gram;
  return reference::fastest_seconds([&] {
           for (int t = 0; t < kIterationsPerTiming; ++t) {
             a_y.noalias() = a * y;
             gram.noalias() = y.transpose() * y;
             x.noalias() -= kStep * (x * gram - a_y);
             a_t_x.noalias() = a.transpose() * x;
             gram.noalias() = x.transpose() * x;
             y.noalias() -= kStep * (y * gram - a_t_x);
           }
         }, kBudgetSeconds) /
         kIterationsPerTiming;
}

void keep(float x) {
  volatile float sink = x;
  (void)sink;
}

double bdcsvd_seconds(const Eigen::MatrixXf& a) {
  return reference::fastest_seconds([&] {
    const Eigen::BDCSVD<Eigen::MatrixXf> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    keep(svd.singularValues()(0));
  }, kBudgetSeconds);
}

double jacobisvd_seconds(const Eigen::MatrixXf& a) {
  return reference::fastest_seconds([&] {
    const Eigen::JacobiSVD<Eigen::MatrixXf> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    keep(svd.singularValues()(0));
  }, kBudgetSeconds);
}

/// The randomized SVD of rank d (no oversampling, no power iterations): Q = thin Q of A Omega, then the
/// JacobiSVD of the d x n matrix Q^T A.
double randomized_svd_seconds(const Eigen::MatrixXf& a, const Eigen::MatrixXf& omega) {
  return reference::fastest_seconds([&] {
    const Eigen::MatrixXf sample = a * omega;
    const Eigen::MatrixXf q = thin_q(sample, omega.cols());
    const Eigen::MatrixXf projected = q.transpose() * a;
    const Eigen::JacobiSVD<Eigen::MatrixXf> svd(projected, Eigen::ComputeThinU | Eigen::ComputeThinV);
    keep(svd.singularValues()(0));
  }, kBudgetSeconds);
}

/// One shape: m x n of rank R, factors of width D. Not inlined, so that each shape has its own stack
/// frame for Eigen's fixed-size temporaries (as in eigen_gemm.cpp).
template <int M, int N, int D, int R>
[[gnu::noinline]] void time_shape() {
  GaussianSource source(42);
  static Eigen::Matrix<float, M, N> a;
  static Eigen::Matrix<float, M, D> x;
  static Eigen::Matrix<float, N, D> y;
  make_low_rank(a, R, source);
  fill_small_gaussian(x, source);
  fill_small_gaussian(y, source);
  const double residual = residual_form_seconds(a, x, y);
  fill_small_gaussian(x, source);
  fill_small_gaussian(y, source);
  const double gram = gram_form_seconds(a, x, y);
  const Eigen::MatrixXf a_dynamic = a;
  const double bdcsvd = bdcsvd_seconds(a_dynamic);
  const double jacobisvd = M <= kLargestJacobi ? jacobisvd_seconds(a_dynamic) : -1e-6;
  Eigen::MatrixXf omega(N, D);
  source.fill(omega);
  const double rsvd = randomized_svd_seconds(a_dynamic, omega);
  std::printf("{\"case\":\"agd_iter\",\"impl\":\"eigen\",\"m\":%d,\"n\":%d,\"d\":%d,\"r\":%d,\"residual_us\":%.3f,"
              "\"gram_us\":%.3f,\"bdcsvd_us\":%.1f,\"jacobisvd_us\":%.1f,\"rsvd_us\":%.2f}\n",
              M, N, D, R, residual * 1e6, gram * 1e6, bdcsvd * 1e6, jacobisvd * 1e6, rsvd * 1e6);
}

}  // namespace

int main() {
  time_shape<16, 16, 4, 2>();
  time_shape<32, 32, 6, 4>();
  time_shape<64, 64, 8, 4>();
  time_shape<100, 100, 10, 5>();
  time_shape<100, 100, 6, 5>();
  time_shape<256, 256, 16, 8>();
  time_shape<512, 512, 32, 16>();
  time_shape<1024, 256, 16, 8>();
}
