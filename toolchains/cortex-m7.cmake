# Toolchain: Arm Cortex-M7 bare metal (arm-none-eabi GCC + newlib-nano), run under qemu-system-arm on
# the MPS2 AN500 board (Cortex-M7 with FPU). Use:  cmake --workflow --preset cortex-m7
# (toolchains/cortex-m4.cmake and toolchains/cortex-m7.cmake differ only in the first three settings.)
#
# - Compiler: arm-none-eabi-gcc/g++ from PATH.
# - Code: -fno-exceptions -fno-rtti, one section per function/object so --gc-sections drops the unused.
# - Executables link against newlib-nano with the nosys stubs, so an ordinary program
#   (examples/quickstart) links; examples/firmware adds its own startup code and memory map on top.
# - CMAKE_CROSSCOMPILING_EMULATOR runs add_test(NAME x COMMAND <executable target>) as
#   `qemu-system-arm -M mps2-an500 -nographic -semihosting -kernel <elf>`: the status the program
#   passes to semihosting SYS_EXIT_EXTENDED becomes QEMU's exit code, which is what ctest checks.
#
# fpv5-d16 is the FPU of the double-precision Cortex-M7 parts (STM32F76x/H7, i.MX RT 10xx); a
# single-precision part (STM32F74x) would use fpv5-sp-d16. The library is tuned for float on both.
set(_lowrank_cpu cortex-m7)
set(_lowrank_cpu_flags "-mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard")
set(_lowrank_qemu_machine mps2-an500)

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR ${_lowrank_cpu})

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# A bare-metal executable cannot link without startup code and a memory map: probe with libraries.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_FLAGS_INIT "${_lowrank_cpu_flags} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
    "${_lowrank_cpu_flags} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti")
set(CMAKE_ASM_FLAGS_INIT "${_lowrank_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nano.specs --specs=nosys.specs -Wl,--gc-sections")

# No SIMD kernel here: the library picks its scalar micro-kernel and its Cortex-M block sizes from the
# compiler's predefined macros and needs no extra instruction-set flags.
set(LOWRANK_ISA_FLAGS "" CACHE STRING "Instruction-set flags that users of lowrank compile with")

set(CMAKE_CROSSCOMPILING_EMULATOR
    "qemu-system-arm;-M;${_lowrank_qemu_machine};-nographic;-semihosting;-kernel")

# Programs from the host; libraries and headers from the target's sysroot only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
