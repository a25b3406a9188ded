// The comparison for tests/benchmark/instructions.sh: ITERS iterations of AGD (Gram form, the
// iteration agd_iterations.cpp runs through the library) written as plain loops over static arrays, on
// the same data (the same LCG, scales and step), compiled with the same flags. Bare metal, with
// examples/firmware's startup code, memory map and semihosting; prints ||X||^2 so that the script can
// check both programs computed the same thing.
#include <cstdint>

#include "semihosting.hpp"
#include "text.hpp"

#ifndef DIM_M
#define DIM_M 64
#define DIM_N 64
#define DIM_D 8
#endif
#ifndef ITERS
#define ITERS 1
#endif

namespace {
constexpr int m = DIM_M, n = DIM_N, d = DIM_D;
float A[m][n], X[m][d], Y[n][d], AY[m][d], AtX[n][d], G[d][d];

std::uint32_t state = 12345u;
float u01() noexcept {
  state = state * 1664525u + 1013904223u;
  return static_cast<float>(state >> 8) * (1.0f / 16777216.0f) - 0.5f;
}

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
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) A[i][j] = u01();
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < d; ++k) X[i][k] = 0.1f * u01();
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < d; ++k) Y[i][k] = 0.1f * u01();
  const float eta = 0.05f;
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
