// Startup code for 32-bit RISC-V in machine mode on qemu's `virt` board (-bios none): the entry point
// (global pointer, stack pointer, trap vector, FPU on), .data/.bss initialisation, stack painting (for
// the stack high-water mark the firmware reports), static constructors, then main(), whose return
// value goes to semihosting exit. No picolibc crt0, no exit(): nothing here can reach malloc.
#include <cstdint>

#include "semihosting.hpp"
#include "startup.hpp"

// Symbols from virt_riscv.ld.
extern "C" {
extern std::uint32_t __data_load__[], __data_start__[], __data_end__[];
extern std::uint32_t __bss_start__[], __bss_end__[];
extern std::uint32_t __stack_bottom__[], __stack_top__[];
using init_function = void (*)();
extern init_function __preinit_array_start[], __preinit_array_end[];
extern init_function __init_array_start[], __init_array_end[];

[[noreturn]] void lowrank_firmware_start() noexcept;
[[noreturn]] void lowrank_firmware_trap() noexcept;
}

// CSR instructions belong to Zicsr, which GCC 12's -march=rv32imac does not name (rv32imafc implies
// it through F): each CSR access enables it for itself.
#define LOWRANK_WITH_ZICSR(instructions) ".option push\n.option arch, +zicsr\n" instructions "\n.option pop\n"

// The firmware's main(), under another name: ISO C++ does not let a program call ::main itself.
int firmware_main() __asm__("main");

// The entry point, before any C++ can run. gp is loaded without linker relaxation (relaxed, `la gp`
// would become an addi from gp itself). mstatus.FS = Initial turns the FPU on where there is one (on
// a part without F the field is read-only zero and the write does nothing); mtvec catches any trap.
__asm__(
    ".section .text.start, \"ax\", @progbits\n"
    ".globl _start\n"
    "_start:\n"
    "  .option push\n"
    "  .option norelax\n"
    "  la gp, __global_pointer$\n"
    "  .option pop\n"
    "  la sp, __stack_top__\n"
    "  la t0, lowrank_firmware_trap\n"
    LOWRANK_WITH_ZICSR("  csrw mtvec, t0")
    "  li t0, 0x2000\n"
    LOWRANK_WITH_ZICSR("  csrs mstatus, t0")
    "  call lowrank_firmware_start\n"
    "  .previous\n");

namespace {

constexpr std::uint32_t stack_paint = 0xA5A5A5A5u;

std::uint32_t read_mcause() noexcept {
  std::uint32_t value;
  __asm__ volatile(LOWRANK_WITH_ZICSR("csrr %0, mcause") : "=r"(value));
  return value;
}

std::uint32_t read_mepc() noexcept {
  std::uint32_t value;
  __asm__ volatile(LOWRANK_WITH_ZICSR("csrr %0, mepc") : "=r"(value));
  return value;
}

}  // namespace

extern "C" {

void lowrank_firmware_start() noexcept {
  for (std::uint32_t *src = __data_load__, *dst = __data_start__; dst < __data_end__;) *dst++ = *src++;
  for (std::uint32_t* dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;

  // Paint the unused stack (all of it but a margin below the current frame) so that
  // firmware::stack_high_water() can tell how deep it was ever used.
  std::uint32_t* sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  for (std::uint32_t* p = __stack_bottom__; p < sp - 64; ++p) *p = stack_paint;

  for (init_function* f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (init_function* f = __init_array_start; f < __init_array_end; ++f) (*f)();

  semihosting::exit(firmware_main());
}

// mtvec in direct mode needs a 4-byte aligned handler. No interrupt is enabled, so anything that
// arrives here is an exception (illegal instruction, misaligned or faulting access): report and stop.
__attribute__((aligned(4))) void lowrank_firmware_trap() noexcept {
  firmware::Line line;
  line << "trap: mcause ";
  line.hex(read_mcause(), 8) << " at mepc ";
  line.hex(read_mepc(), 8) << ", stopping\n";
  semihosting::write(line.c_str());
  semihosting::exit(3);
}

}  // extern "C"

namespace firmware {

void describe_cpu(Line& line) noexcept {
  // misa: the machine's width in the top two bits, one bit per extension letter below.
  std::uint32_t misa;
  __asm__ volatile(LOWRANK_WITH_ZICSR("csrr %0, misa") : "=r"(misa));
  line << "RV" << (misa >> 30 == 1 ? 32 : misa >> 30 == 2 ? 64 : 128);
  for (std::uint32_t bit = 0; bit < 26; ++bit)
    if (misa & (1u << bit)) line << static_cast<char>('A' + bit);
}

std::uint32_t stack_size() noexcept {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(__stack_top__) -
                                    reinterpret_cast<std::uintptr_t>(__stack_bottom__));
}

std::uint32_t stack_high_water() noexcept {
  const std::uint32_t* p = __stack_bottom__;
  while (p < __stack_top__ && *p == stack_paint) ++p;
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(__stack_top__) -
                                    reinterpret_cast<std::uintptr_t>(p));
}

std::uint32_t static_ram() noexcept {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(__bss_end__) -
                                    reinterpret_cast<std::uintptr_t>(__data_start__));
}

}  // namespace firmware
