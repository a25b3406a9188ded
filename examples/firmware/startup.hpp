// What the startup code tells the firmware about its core and memory (from the memory map's symbols;
// startup.cpp on Cortex-M, riscv_startup.cpp on RISC-V).
#pragma once

#include <cstdint>

#include "text.hpp"

namespace firmware {

/// Appends which core this is, as the hardware reports it (so the log shows what QEMU emulated).
void describe_cpu(Line& line) noexcept;

/// Size of the stack region (mps2.ld's __stack_size__).
std::uint32_t stack_size() noexcept;

/// Deepest stack use so far, in bytes: the stack is painted at reset, and this finds the lowest word
/// that no longer holds the paint. Includes the startup code's own frames.
std::uint32_t stack_high_water() noexcept;

/// Bytes of RAM taken by static data (.data + .bss), the stack not included.
std::uint32_t static_ram() noexcept;

}  // namespace firmware
