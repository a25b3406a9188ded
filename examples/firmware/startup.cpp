// Startup code for Cortex-M4F/M7 on the qemu MPS2 boards (AN386, AN500): the vector table at 0x0,
// FPU enable, .data/.bss initialisation, stack painting (for the stack high-water mark the firmware
// reports), static constructors, then main(), whose return value goes to semihosting exit.
// No newlib crt0, no __libc_init_array, no exit(): nothing here can reach malloc.
#include <cstdint>

#include "semihosting.hpp"
#include "startup.hpp"

// Symbols from mps2.ld.
extern "C" {
extern std::uint32_t __data_load__[], __data_start__[], __data_end__[];
extern std::uint32_t __bss_start__[], __bss_end__[];
extern std::uint32_t __stack_bottom__[], __stack_top__[];
using init_function = void (*)();
extern init_function __preinit_array_start[], __preinit_array_end[];
extern init_function __init_array_start[], __init_array_end[];

[[noreturn]] void Reset_Handler() noexcept;
void NMI_Handler() noexcept;
void HardFault_Handler() noexcept;
void MemManage_Handler() noexcept;
void BusFault_Handler() noexcept;
void UsageFault_Handler() noexcept;
void Default_Handler() noexcept;
}

// The firmware's main(), under another name: ISO C++ does not let a program call ::main itself.
int firmware_main() __asm__("main");

namespace {

constexpr std::uint32_t stack_paint = 0xA5A5A5A5u;

// Everything after the FPU is on: kept out of line so that Reset_Handler itself has no code that a
// compiler could schedule onto FPU registers before CPACR is written.
[[noreturn]] __attribute__((noinline)) void initialise_and_run() noexcept {
  for (std::uint32_t *src = __data_load__, *dst = __data_start__; dst < __data_end__;) *dst++ = *src++;
  for (std::uint32_t* dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;

  // Paint the unused stack (all of it but a margin below the current frame) so that
  // firmware::stack_high_water() can tell how deep it was ever used.
  std::uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (std::uint32_t* p = __stack_bottom__; p < sp - 64; ++p) *p = stack_paint;

  for (init_function* f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (init_function* f = __init_array_start; f < __init_array_end; ++f) (*f)();

  semihosting::exit(firmware_main());
}

[[noreturn]] void fault(const char* what) noexcept {
  semihosting::write(what);
  semihosting::write(": unexpected exception, stopping\n");
  semihosting::exit(3);
}

}  // namespace

extern "C" {

void Reset_Handler() noexcept {
  // CPACR: full access to coprocessors 10 and 11 (the FPU), before any floating-point instruction.
  *reinterpret_cast<volatile std::uint32_t*>(0xE000ED88u) |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  initialise_and_run();
}

void NMI_Handler() noexcept { fault("NMI"); }
void HardFault_Handler() noexcept { fault("HardFault"); }
void MemManage_Handler() noexcept { fault("MemManage"); }
void BusFault_Handler() noexcept { fault("BusFault"); }
void UsageFault_Handler() noexcept { fault("UsageFault"); }
void Default_Handler() noexcept { fault("interrupt"); }

}  // extern "C"

namespace {

// The Armv7-M vector table: the initial stack pointer, then the 15 system exception handlers (0 for
// the reserved ones). No peripheral interrupt is enabled, so none of their vectors is needed.
using handler = void (*)() noexcept;
struct vector_table {
  const void* initial_stack_pointer;
  handler system[15];
};

__attribute__((section(".vectors"), used)) const vector_table vectors = {
    __stack_top__,
    {
        Reset_Handler,
        NMI_Handler,
        HardFault_Handler,
        MemManage_Handler,
        BusFault_Handler,
        UsageFault_Handler,
        nullptr,  // reserved
        nullptr,
        nullptr,
        nullptr,
        Default_Handler,  // SVCall
        Default_Handler,  // DebugMonitor
        nullptr,          // reserved
        Default_Handler,  // PendSV
        Default_Handler,  // SysTick
    }};

}  // namespace

namespace firmware {

/// "Cortex-M4 r0p1" from the CPUID register, so the log shows which core QEMU really emulated.
void describe_cpu(Line& line) noexcept {
  const std::uint32_t cpuid = *reinterpret_cast<const volatile std::uint32_t*>(0xE000ED00u);
  const std::uint32_t part = (cpuid >> 4) & 0xFFFu;
  if (part >= 0xC20u && part <= 0xC27u) {
    line << "Cortex-M" << (part - 0xC20u);
  } else {
    line << "CPU part ";
    line.hex(part, 3);
  }
  line << " r" << ((cpuid >> 20) & 0xFu) << 'p' << (cpuid & 0xFu);
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
