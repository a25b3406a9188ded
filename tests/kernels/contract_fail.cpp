// Each CASE must fail to compile with the contract's static_assert message (tests/kernels/CMakeLists.txt):
// an op set or a micro-kernel that breaks kernels/contract.hpp is named, not a page of template errors.
#include <lowrank/kernels/register_tile.hpp>

namespace {
using lowrank::index;

/// A complete scalar op set; the cases below remove one part of it.
struct full_ops {
  using value_type = float;
  using reg = float;
  using mask = index;
  static constexpr index lanes = 1;
  static reg zero() noexcept { return 0.0f; }
  static reg splat(float x) noexcept { return x; }
  static reg load(const float* p) noexcept { return *p; }
  static void store(float* p, reg v) noexcept { *p = v; }
  static reg broadcast(const float* p) noexcept { return *p; }
  static reg mul(reg a, reg b) noexcept { return a * b; }
  static reg fma(reg a, reg b, reg c) noexcept { return a * b + c; }
  static reg fnma(reg a, reg b, reg c) noexcept { return c - a * b; }
  static mask first(index live) noexcept { return live; }
  static reg load(const float* p, mask) noexcept { return *p; }
  static void store(float* p, reg v, index) noexcept { *p = v; }
#if !defined(CASE_OPS_WITHOUT_SUM)
  static float sum(reg v) noexcept { return v; }
#endif
};

#if defined(CASE_OPS_WITHOUT_SUM) || defined(CASE_COMPLETE_OPS)
[[maybe_unused]] constexpr index rows = lowrank::kernels::register_tile<full_ops, 4, 4, false>::mr;
#elif defined(CASE_KERNEL_WITHOUT_RUN)
struct no_run {
  using value_type = float;
  static constexpr index mr = 4, nr = 4, lanes = 1;
};
static_assert(lowrank::kernels::contract::check_microkernel<no_run>());
#endif
}  // namespace
