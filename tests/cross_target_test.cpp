// Same answers everywhere: the uniform stream is bit-identical and the reference problem's AGD run
// ends at the pinned iteration count and error on every target this suite runs on (host, aarch64 and
// armv7 under qemu); the Cortex-M firmware checks the same figures (examples/common/reference_problem.hpp).
#include <gtest/gtest.h>

#include "common/reference_problem.hpp"

namespace lowrank::test {
namespace {

TEST(CrossTarget, UniformStreamIsBitIdentical) {
  random::Xoshiro128StarStar uniform(1);
  for (std::uint32_t expected : reference::uniform_stream_seed_1) EXPECT_EQ(uniform.next_u32(), expected);
}

TEST(CrossTarget, ReferenceProblemGivesThePinnedResult) {
  static reference::storage storage;
  const reference::outcome o = reference::solve_reference_problem(storage);
  std::printf("reference problem on %s: %s after %zu iterations, relative error %.4g\n", kernels::native_isa,
              to_string(o.result), static_cast<std::size_t>(o.iterations), static_cast<double>(o.relative_error));
  EXPECT_EQ(o.result, status::converged);
  EXPECT_TRUE(reference::matches_reference(o)) << "expected " << reference::expected_iterations << " iterations, error "
                                               << reference::expected_relative_error;
}

TEST(CrossTarget, PreconditionedReferenceRunGivesThePinnedIterations) {
  static reference::storage storage;
  const reference::outcome o = reference::solve_reference_problem_precgd(storage);
  std::printf("PrecGD reference run on %s: %s after %zu iterations, relative error %.4g\n", kernels::native_isa,
              to_string(o.result), static_cast<std::size_t>(o.iterations), static_cast<double>(o.relative_error));
  EXPECT_TRUE(reference::matches_precgd_reference(o)) << "expected " << reference::expected_precgd_iterations;
  EXPECT_LE(o.relative_error, 1e-9f);
}

}  // namespace
}  // namespace lowrank::test
