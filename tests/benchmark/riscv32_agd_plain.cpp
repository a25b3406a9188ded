// The comparison for tests/benchmark/instructions.sh: ITERS iterations of AGD (Gram form, the
// iteration agd_iterations.cpp runs through the library) written as plain loops over static arrays, on
// the same data (the same LCG, scales and step), compiled with the same flags. Bare metal, with
// examples/firmware's startup code, memory map and semihosting; prints ||X||^2 so that the script can
// check both programs computed the same thing.
#include <cstdint>

#include "semihosting.hpp"
#include "text.hpp"

#include "agd_case.hpp"

namespace {
constexpr int m = agd_case::m, n = agd_case::n, d = agd_case::d;
float A[m][n], X[m][d], Y[n][d], AY[m][d], AtX[n][d], G[d][d];

/// F -= eta (F G - P), row by row (F is rows x d, G is d x d).
template <int Rows>
void step(float (&f)[Rows][d], const float (&p)[Rows][d], float eta) noexcept {
  for (int i = 0; i < Rows; ++i) {
    float row[d];
    for (int b = 0; b < d; ++b) {
      float acc = 0.0f;
      for (int a = 0; a < d; ++a) acc += f[i][a] * G[a][b];
      row[b] = acc;
    }
    for (int b = 0; b < d; ++b) f[i][b] -= eta * (row[b] - p[i][b]);
  }
}
}  // namespace

int main() {
  agd_case::fill([](int i, int j) -> float& { return A[i][j]; }, [](int i, int k) -> float& { return X[i][k]; },
                 [](int j, int k) -> float& { return Y[j][k]; });
  const float eta = agd_case::step;
  for (int t = 0; t < ITERS; ++t) {
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < d; ++k) {
        float acc = 0.0f;
        for (int j = 0; j < n; ++j) acc += A[i][j] * Y[j][k];
        AY[i][k] = acc;
      }
    for (int a = 0; a < d; ++a)
      for (int b = 0; b < d; ++b) {
        float acc = 0.0f;
        for (int j = 0; j < n; ++j) acc += Y[j][a] * Y[j][b];
        G[a][b] = acc;
      }
    step(X, AY, eta);
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < d; ++k) {
        float acc = 0.0f;
        for (int i = 0; i < m; ++i) acc += A[i][j] * X[i][k];
        AtX[j][k] = acc;
      }
    for (int a = 0; a < d; ++a)
      for (int b = 0; b < d; ++b) {
        float acc = 0.0f;
        for (int i = 0; i < m; ++i) acc += X[i][a] * X[i][b];
        G[a][b] = acc;
      }
    step(Y, AtX, eta);
  }
  float norm = 0.0f;
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < d; ++k) norm += X[i][k] * X[i][k];
  firmware::Line line;
  line << "plain loops agd " << static_cast<std::uint32_t>(m) << 'x' << static_cast<std::uint32_t>(n) << 'x'
       << static_cast<std::uint32_t>(d) << ", " << static_cast<std::uint32_t>(ITERS) << " iterations: ||X||^2 ";
  line.sci(norm, 6) << '\n';
  semihosting::write(line.c_str());
  return 0;
}
