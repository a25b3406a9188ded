// Arm semihosting, the two calls the firmware needs: text to the debugger's (QEMU's) console, and exit
// with a status. No newlib stdio (which allocates its buffers with malloc), no rdimon: each call is a
// `bkpt 0xAB` with the operation in r0 and its argument in r1.
#pragma once

namespace semihosting {

/// SYS_WRITE0: writes the NUL-terminated string `text` to the host console.
void write(const char* text) noexcept;

/// SYS_EXIT_EXTENDED (falling back to SYS_EXIT, which can only say "success" or "failure"): ends the
/// program; under `qemu-system-arm -semihosting`, QEMU exits with `status`.
[[noreturn]] void exit(int status) noexcept;

}  // namespace semihosting
