# Shared by toolchains/riscv32-imafc.cmake and toolchains/riscv32-imac.cmake, which set _lowrank_march,
# _lowrank_mabi and _lowrank_qemu_cpu and then include this file.
#
# - Compiler: riscv64-unknown-elf-gcc/g++ from PATH (Debian's gcc-riscv64-unknown-elf, GCC 12), C
#   library: picolibc (picolibc-riscv64-unknown-elf), which ships every rv32 multilib used here.
# - C++ headers: Debian ships no libstdc++ for riscv64-unknown-elf. The library and the firmware use
#   only header-only parts of it (<cstdint>, <limits>, <type_traits>, <cmath>, <utility>...), so they
#   are taken from the bare-metal libstdc++ of the same GCC release that Debian does ship, arm-none-eabi's
#   for newlib (libstdc++-arm-none-eabi-newlib): configured for no OS and newlib's C headers, which
#   picolibc keeps. Its target-specific parts are all under #ifdef __ARM_*. Nothing of libstdc++ or
#   libsupc++ is linked (there is none to link): a program that needs one (operator new, exceptions,
#   thread-safe statics) fails to link, which the firmware's no-heap rule wants anyway.
#   The include order matters: libstdc++'s <cmath> does #include_next <math.h>, so picolibc's headers
#   must come after libstdc++'s, hence explicit -isystem flags rather than picolibc.specs at compile time.
# - Code: -fno-exceptions -fno-rtti, one section per function/object so --gc-sections drops the unused.
# - CMAKE_CROSSCOMPILING_EMULATOR runs add_test(NAME x COMMAND <executable target>) as
#   `qemu-system-riscv32 -M virt -bios none -semihosting-config enable=on,target=native -kernel <elf>`
#   on a CPU with exactly the target's extensions (_lowrank_qemu_cpu): an instruction of an extension
#   the part lacks traps instead of running. The status passed to semihosting SYS_EXIT_EXTENDED
#   becomes QEMU's exit code, which is what ctest checks.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR ${_lowrank_march})

set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_CXX_COMPILER riscv64-unknown-elf-g++)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
# A bare-metal executable cannot link without startup code and a memory map: probe with libraries.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_lowrank_picolibc_include /usr/lib/picolibc/riscv64-unknown-elf/include)
if(NOT DEFINED LOWRANK_RISCV_CXX_HEADERS)
  file(GLOB _lowrank_cxx_candidates LIST_DIRECTORIES true /usr/include/newlib/c++/12*)
  list(SORT _lowrank_cxx_candidates)
  list(POP_BACK _lowrank_cxx_candidates _lowrank_cxx_headers)
  set(LOWRANK_RISCV_CXX_HEADERS "${_lowrank_cxx_headers}" CACHE PATH
      "libstdc++ headers for a bare-metal newlib target (Debian: libstdc++-arm-none-eabi-newlib)")
endif()
if(NOT EXISTS "${LOWRANK_RISCV_CXX_HEADERS}/type_traits" OR NOT EXISTS "${_lowrank_picolibc_include}/math.h")
  message(FATAL_ERROR "riscv32 toolchain: needs picolibc-riscv64-unknown-elf and libstdc++ headers "
                      "(libstdc++-arm-none-eabi-newlib); set LOWRANK_RISCV_CXX_HEADERS to their directory")
endif()

set(_lowrank_cpu_flags "-march=${_lowrank_march} -mabi=${_lowrank_mabi}")
set(_lowrank_cxx_includes
    "-isystem ${LOWRANK_RISCV_CXX_HEADERS} -isystem ${LOWRANK_RISCV_CXX_HEADERS}/arm-none-eabi -isystem ${_lowrank_picolibc_include}")
set(CMAKE_C_FLAGS_INIT "${_lowrank_cpu_flags} -isystem ${_lowrank_picolibc_include} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
    "${_lowrank_cpu_flags} ${_lowrank_cxx_includes} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti")
set(CMAKE_ASM_FLAGS_INIT "${_lowrank_cpu_flags}")
# picolibc's specs at link time only: its multilib directory and libc/libm; the firmware brings its own
# startup code and memory map (-nostartfiles, -T), an ordinary program (examples/quickstart) gets
# picolibc's, with stdio on semihosting. C++ programs link through the C driver, because g++ would
# add -lstdc++, which does not exist here (GCC 12 has no -nostdlib++).
# picolibc.ld's memory is given the virt board's (as virt_riscv.ld: 1 MB "flash" at the start of RAM).
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=picolibc.specs --oslib=semihost -Wl,--gc-sections \
-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x100000,--defsym=__ram=0x80100000,--defsym=__ram_size=0x40000")
set(CMAKE_CXX_LINK_EXECUTABLE
    "${CMAKE_C_COMPILER} <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")

# No vector or SIMD kernel (GCC 12 has no RVV intrinsics): the library picks its portable micro-kernel
# from the compiler's predefined macros and needs no extra instruction-set flags.

set(CMAKE_CROSSCOMPILING_EMULATOR
    "qemu-system-riscv32;-M;virt;-cpu;${_lowrank_qemu_cpu};-bios;none;-nographic;-semihosting-config;enable=on,target=native;-kernel")

# Programs from the host; libraries and headers from the target's sysroot only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
