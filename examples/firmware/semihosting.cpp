#include "semihosting.hpp"

#include <cstdint>

namespace semihosting {
namespace {

constexpr std::uint32_t sys_write0 = 0x04;
constexpr std::uint32_t sys_exit = 0x18;
constexpr std::uint32_t sys_exit_extended = 0x20;
constexpr std::uint32_t adp_stopped_application_exit = 0x20026;
constexpr std::uint32_t adp_stopped_run_time_error_unknown = 0x20023;

// One semihosting call: operation in r0, argument (a value or a pointer to a parameter block) in r1,
// result back in r0. `memory` because the host reads (and for some calls writes) the argument block.
std::uint32_t call(std::uint32_t operation, const void* argument) noexcept {
  std::uint32_t result;
  __asm__ volatile(
      "mov r0, %1\n\t"
      "mov r1, %2\n\t"
      "bkpt 0xAB\n\t"
      "mov %0, r0"
      : "=r"(result)
      : "r"(operation), "r"(argument)
      : "r0", "r1", "memory");
  return result;
}

}  // namespace

void write(const char* text) noexcept { call(sys_write0, text); }

void exit(int status) noexcept {
  // The extended call carries the status itself (QEMU exits with it); the plain A32/T32 SYS_EXIT
  // takes only a reason code in r1, which QEMU turns into exit status 0 or 1.
  const std::uint32_t block[2] = {adp_stopped_application_exit, static_cast<std::uint32_t>(status)};
  call(sys_exit_extended, block);
  const std::uint32_t reason =
      status == 0 ? adp_stopped_application_exit : adp_stopped_run_time_error_unknown;
  call(sys_exit, reinterpret_cast<const void*>(static_cast<std::uintptr_t>(reason)));
  for (;;) __asm__ volatile("wfi");  // no semihosting host: stop here
}

}  // namespace semihosting
