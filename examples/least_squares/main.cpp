// Least-squares fit over 150 sensor points: a plate's temperature read by 150 sensors (a 15 x 10
// grid, each reading with Gaussian noise), fitted by a quadratic surface
//   t(x, y) = c0 + c1 x + c2 y + c3 x^2 + c4 x y + c5 y^2.
// The 150 x 6 design matrix A is decomposed, A = U diag(s) V^T, and the coefficients are the
// minimum-norm least-squares solution c = V diag(1/s) U^T b. Two ways to the SVD: thin_svd of the
// factors A and I (A = A I^T: the exact SVD, no iterations, the one to use for a small design
// matrix), and truncated_svd, the factorization route that also serves a large A or a rank-d
// approximation of it. No heap: every object below is static.
#include <cmath>
#include <cstdio>

#include <lowrank/lowrank.hpp>

constexpr lowrank::index rows = 15, cols = 10, points = rows * cols, terms = 6;
constexpr float noise = 0.05f;  // kelvin, the sensors' standard deviation
constexpr float truth[terms] = {293.0f, 1.5f, -0.8f, 2.0f, 0.6f, -1.2f};  // the surface being measured

static lowrank::Matrix<float, points, terms> A;
static lowrank::Matrix<float, points, 1> b;  // the readings
static lowrank::Matrix<float, terms, terms> identity;
static lowrank::Matrix<float, points, terms> U;
static lowrank::Matrix<float, terms, 1> s;
static lowrank::Matrix<float, terms, terms> V;
static lowrank::Matrix<float, terms, 1> c;
static lowrank::linalg::ThinSvdWorkspace<float, points, terms, terms> svd_workspace;
static lowrank::Workspace<float, points, terms, terms> workspace;

/// One row of the design matrix: the surface's terms at (x, y).
static void design_row(float x, float y, float* row) {
  row[0] = 1.0f;
  row[1] = x;
  row[2] = y;
  row[3] = x * x;
  row[4] = x * y;
  row[5] = y * y;
}

/// The readings: the true surface at each sensor (coordinates in [-1, 1], the best-conditioned
/// units for the polynomial) plus noise.
static void read_sensors() {
  lowrank::random::GaussianGenerator<float> gaussian(7);
  for (lowrank::index i = 0; i < rows; ++i)
    for (lowrank::index j = 0; j < cols; ++j) {
      const lowrank::index p = i * cols + j;
      const float x = -1.0f + 2.0f * static_cast<float>(i) / static_cast<float>(rows - 1);
      const float y = -1.0f + 2.0f * static_cast<float>(j) / static_cast<float>(cols - 1);
      float row[terms];
      design_row(x, y, row);
      float value = 0.0f;
      for (lowrank::index k = 0; k < terms; ++k) {
        A(p, k) = row[k];
        value += truth[k] * row[k];
      }
      b(p, 0) = value + noise * gaussian.next();
    }
}

/// ||A c - b||_2, accumulated in double.
static double residual_norm() {
  double sum = 0.0;
  for (lowrank::index p = 0; p < points; ++p) {
    double r = -static_cast<double>(b(p, 0));
    for (lowrank::index k = 0; k < terms; ++k) r += static_cast<double>(A(p, k)) * static_cast<double>(c(k, 0));
    sum += r * r;
  }
  return std::sqrt(sum);
}

/// Prints the fit's coefficients against the truth and its residual; true if the residual is what
/// the noise explains (within 20% of sigma sqrt(points - terms), its expected value).
static bool report_fit(const char* route, lowrank::index rank) {
  std::printf("%s: rank %zu, s = [", route, static_cast<std::size_t>(rank));
  for (lowrank::index k = 0; k < terms; ++k) std::printf("%s%.3f", k ? " " : "", static_cast<double>(s(k, 0)));
  std::printf("]\n  coefficient   true      fitted\n");
  for (lowrank::index k = 0; k < terms; ++k)
    std::printf("  c%zu          %8.3f  %8.3f\n", static_cast<std::size_t>(k), static_cast<double>(truth[k]),
                static_cast<double>(c(k, 0)));
  const double residual = residual_norm();
  const double expected = static_cast<double>(noise) * std::sqrt(static_cast<double>(points - terms));
  std::printf("  residual ||A c - b|| = %.4f K (noise alone: %.4f K expected), RMS %.4f K\n", residual, expected,
              residual / std::sqrt(static_cast<double>(points)));
  return std::fabs(residual / expected - 1.0) < 0.2;
}

int main() {
  read_sensors();
  std::printf("lowrank least squares: %zu sensor readings, a %zu-term quadratic surface, float, %s kernel\n",
              static_cast<std::size_t>(points), static_cast<std::size_t>(terms), lowrank::kernels::native_isa);
  for (lowrank::index k = 0; k < terms; ++k) identity(k, k) = 1.0f;

  // Route 1: the exact SVD of A, from the factors A and I.
  lowrank::status status = lowrank::linalg::thin_svd(A, identity, U, s, V, svd_workspace);
  auto solved = lowrank::linalg::solve_least_squares(U, s, V, b, c);
  bool ok = status == lowrank::status::ok && solved.status == lowrank::status::ok;
  ok = report_fit("thin_svd(A, I)", solved.rank) && ok;

  // Route 2: the truncated SVD (factorize, then thin_svd of the factors), rank d = 6.
  lowrank::solve_options<float> options;
  options.target_relative_error = 1e-10f;  // ||A - U S V^T||_F^2 / ||A||_F^2: near float's floor
  const auto report = lowrank::linalg::truncated_svd(A, U, s, V, workspace, options);
  solved = lowrank::linalg::solve_least_squares(U, s, V, b, c);
  std::printf("truncated_svd: %s after %zu iterations, relative error %.1e\n", lowrank::to_string(report.status),
              static_cast<std::size_t>(report.iterations), static_cast<double>(report.relative_error));
  ok = lowrank::succeeded(report.status) && solved.status == lowrank::status::ok && ok;
  ok = report_fit("truncated_svd(A)", solved.rank) && ok;
  std::printf("memory: A %zu B, U s V %zu B, thin-SVD workspace %zu B, heap 0 B\n", sizeof(A),
              sizeof(U) + sizeof(s) + sizeof(V), sizeof(svd_workspace));
  return ok ? 0 : 1;
}
