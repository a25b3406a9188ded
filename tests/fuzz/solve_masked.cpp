// Fuzz target: lowrank::solve on problems::masked (matrix completion), every method and
// initialization, a few shapes. The mask comes from the input; unobserved entries may hold anything.
#include <cstddef>
#include <cstdint>

#include "entry.hpp"
#include "solve_and_check.hpp"

namespace lowrank::fuzz {
namespace {

template <class T, index M, index N, index D>
void run(fuzz_input& in) noexcept {
  Matrix<T, M, N> a;
  fill_data(in, a);
  BitMask<M, N> observed;
  const std::uint8_t density = in.data_byte();  // the chance that an entry is observed, in 256ths
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) observed.set(i, j, in.data_byte() <= density);
  const Matrix<T, M, N> a0 = a;
  const auto seen = [&](index i, index j) noexcept { return observed.test(i, j); };
  request<T> asked;
  asked.data_finite = true;
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) asked.data_finite = asked.data_finite && (!seen(i, j) || std::isfinite(a(i, j)));
  asked.data_zero = largest_magnitude(a, seen) == 0;
  Workspace<T, M, N, D> w;
  auto problem = problems::masked(a, observed);
  const auto truth = [&](const auto& x, const auto& y) noexcept { return residual_error(a0, x, y, seen); };
  const status s = solve_and_check<T, M, N, D, true>(in, problem, w, asked, truth);
  // validate() zeroes the unobserved entries once the data passed (invalid_input for finite data is
  // about the user's start, found after that); observed ones never change.
  const bool refused_data = (s == status::invalid_input && !asked.data_finite) || s == status::out_of_range ||
                            s == status::unobservable;
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      Matrix<T, 1, 1> now, before;
      now(0, 0) = a(i, j);
      before(0, 0) = a0(i, j);
      const bool same = same_bits(now, before);
      if (seen(i, j) || refused_data) {
        check(same, "data_unchanged", "masked: observed entries, or all after refused data");
      } else {
        check(same || now(0, 0) == T(0), "data_unchanged", "masked: an unobserved entry is kept or zeroed");
      }
    }
}

}  // namespace
}  // namespace lowrank::fuzz

extern "C" int LOWRANK_FUZZ_ENTRY(solve_masked)(const std::uint8_t* data, std::size_t size) {
  using namespace lowrank::fuzz;
  fuzz_input in(data, size);
  switch (in.choice(5)) {
    case 0: run<float, 1, 1, 1>(in); break;
    case 1: run<float, 3, 2, 1>(in); break;
    case 2: run<float, 6, 5, 2>(in); break;
    case 3: run<float, 8, 8, 3>(in); break;
    default: run<double, 6, 5, 2>(in); break;
  }
  return 0;
}
