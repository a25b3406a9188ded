// Placeholder until the AGD solver lands: a product checked against a loop.
#include <cstdio>

#include <lowrank/lowrank.hpp>

static lowrank::Matrix<float, 64, 64> A;
static lowrank::Matrix<float, 64, 8> Y, AY;
static lowrank::GemmWorkspace<float, 64, 8, 64> workspace;

int main() {
  for (lowrank::index i = 0; i < 64; ++i)
    for (lowrank::index j = 0; j < 64; ++j) A(i, j) = static_cast<float>(i == j);
  for (lowrank::index i = 0; i < 64; ++i)
    for (lowrank::index j = 0; j < 8; ++j) Y(i, j) = static_cast<float>(i + j);
  lowrank::gemm(1.0f, A, Y, 0.0f, AY, workspace);
  std::printf("lowrank quickstart (%s kernel): (I Y)(3, 4) = %g, expected 7\n", lowrank::kernels::native_isa,
              static_cast<double>(AY(3, 4)));
  return AY(3, 4) == 7.0f ? 0 : 1;
}
