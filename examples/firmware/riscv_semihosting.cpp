// RISC-V semihosting (the RISC-V semihosting spec, as QEMU implements it), the two calls the firmware
// needs: text to QEMU's console, and exit with a status. The operation goes in a0, its argument in a1,
// the result comes back in a0; the trap is an ebreak between two marker instructions, all three
// uncompressed, so that a debugger can tell it from an ordinary breakpoint.
#include <cstdint>

#include "semihosting.hpp"

namespace semihosting {
namespace {

constexpr std::uintptr_t sys_write0 = 0x04;
constexpr std::uintptr_t sys_exit = 0x18;
constexpr std::uintptr_t sys_exit_extended = 0x20;
constexpr std::uintptr_t adp_stopped_application_exit = 0x20026;
constexpr std::uintptr_t adp_stopped_run_time_error_unknown = 0x20023;

// The marker sequence must not straddle a page (the host reads the instructions on either side of
// the ebreak): aligned to 16 bytes, the 12 bytes always share one page.
std::uintptr_t call(std::uintptr_t operation, const void* argument) noexcept {
  register std::uintptr_t a0 __asm__("a0") = operation;
  register const void* a1 __asm__("a1") = argument;
  __asm__ volatile(
      ".option push\n\t"
      ".option norvc\n\t"
      ".balign 16\n\t"
      "slli x0, x0, 0x1f\n\t"
      "ebreak\n\t"
      "srai x0, x0, 7\n\t"
      ".option pop"
      : "+r"(a0)
      : "r"(a1)
      : "memory");
  return a0;
}

}  // namespace

void write(const char* text) noexcept { call(sys_write0, text); }

void exit(int status) noexcept {
  // On rv32 the extended call takes a parameter block (reason, status) and QEMU exits with the
  // status; the plain SYS_EXIT takes only a reason code in a1, which QEMU turns into 0 or 1.
  const std::uintptr_t block[2] = {adp_stopped_application_exit, static_cast<std::uintptr_t>(status)};
  call(sys_exit_extended, block);
  const std::uintptr_t reason = status == 0 ? adp_stopped_application_exit : adp_stopped_run_time_error_unknown;
  call(sys_exit, reinterpret_cast<const void*>(reason));
  for (;;) __asm__ volatile("wfi");  // no semihosting host: stop here
}

}  // namespace semihosting
