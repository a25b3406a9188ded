// ITERS iterations of the library's AGD (methods::agd, float, Gram form, exactly what lowrank::solve
// runs per iteration, in the problem's units: evaluate() then advance()) on an M x N matrix with
// factors of rank D, for instruction counting under QEMU (tests/benchmark/instructions.sh and
// cortex_m4.sh build it with 1 and 11 iterations and divide the difference by 10). The data (agd_case.hpp)
// are those of the anchors' Eigen and plain-loop versions of this loop: the same LCG, scales and step. Bare
// metal with examples/firmware's startup code, memory map and semihosting (no stdio, no heap), or a
// static Linux program (aarch64 under qemu-aarch64), which prints through stdio.
#include <cstdint>
#if defined(__linux__)
#include <cstdio>
#endif

#include <lowrank/lowrank.hpp>

#include "agd_case.hpp"
#if !defined(__linux__)
#include "semihosting.hpp"
#endif
#include "text.hpp"

namespace {
constexpr lowrank::index m = agd_case::m, n = agd_case::n, d = agd_case::d;
lowrank::Matrix<float, m, n> A;
lowrank::Matrix<float, m, d> X;
lowrank::Matrix<float, n, d> Y;
lowrank::Workspace<float, m, n, d> work;
}  // namespace

int main() {
  auto entry = [](auto& matrix) {
    return [&matrix](int i, int j) -> float& { return matrix(static_cast<lowrank::index>(i), static_cast<lowrank::index>(j)); };
  };
  agd_case::fill(entry(A), entry(X), entry(Y));
  auto problem = lowrank::problems::full(A);
  (void)problem.validate();
  // The method runs in the problem's units (A / s, data_scale.hpp), as lowrank::solve runs it: the
  // factors are divided by sqrt(s) (s is a power of four, so the conversions are exact); the step is
  // given in A's units, as in the plain loops, and begin() converts it.
  const lowrank::data_scale<float>& units = problem.scale();
  lowrank::scale(units.inverse_root, X);
  lowrank::scale(units.inverse_root, Y);
  const lowrank::methods::agd<float> method(agd_case::step);
  lowrank::methods::agd<float>::state state_of_method;
  if (method.begin(problem, work, state_of_method) != lowrank::status::ok) return 1;
  float loss = 0.0f;
  for (int t = 0; t < ITERS; ++t) {
    loss = static_cast<float>(method.evaluate(problem, X, Y, work, state_of_method).loss);
    method.advance(problem, X, Y, work, state_of_method);
  }
  lowrank::scale(units.root, X);
  float norm = 0.0f;
  for (lowrank::index i = 0; i < m; ++i)
    for (lowrank::index k = 0; k < d; ++k) norm += X(i, k) * X(i, k);
  firmware::Line line;
  line << "agd " << static_cast<std::uint32_t>(m) << 'x' << static_cast<std::uint32_t>(n) << 'x'
       << static_cast<std::uint32_t>(d) << ", " << static_cast<std::uint32_t>(ITERS) << " iterations: ||X||^2 ";
  line.sci(norm, 6) << ", loss ";
  line.sci(loss, 6) << '\n';
#if defined(__linux__)
  std::fputs(line.c_str(), stdout);
#else
  semihosting::write(line.c_str());
#endif
  return 0;
}
