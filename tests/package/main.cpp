#include <lowrank/lowrank.hpp>

static lowrank::Matrix<float, 20, 16> A;
static lowrank::Matrix<float, 20, 2> X;
static lowrank::Matrix<float, 16, 2> Y;
static lowrank::Workspace<float, 20, 16, 2> w;

int main() {
  for (lowrank::index i = 0; i < 20; ++i)
    for (lowrank::index j = 0; j < 16; ++j) A(i, j) = static_cast<float>((i + 1) * (j + 2) % 7) + 1.0f;
  auto problem = lowrank::problems::full(A);
  lowrank::solve_options<float> options;
  options.target_relative_error = 0.5f;
  const auto report = lowrank::solve(problem, lowrank::methods::agd<float>(0.01f), lowrank::init::colspan{1}, X, Y, w, options);
  return lowrank::succeeded(report.status) ? 0 : 1;
}
