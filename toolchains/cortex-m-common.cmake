# Shared by toolchains/cortex-m4.cmake and toolchains/cortex-m7.cmake, which set _lowrank_cpu,
# _lowrank_cpu_flags and _lowrank_qemu_machine and then include this file.
#
# - Compiler: arm-none-eabi-gcc/g++ from PATH.
# - Code: -fno-exceptions -fno-rtti, one section per function/object so --gc-sections drops the unused.
# - Executables link against newlib-nano with the nosys stubs, so an ordinary program
#   (examples/quickstart) links; examples/firmware adds its own startup code and memory map on top.
# - CMAKE_CROSSCOMPILING_EMULATOR runs add_test(NAME x COMMAND <executable target>) as
#   `qemu-system-arm -M <board> -nographic -semihosting -kernel <elf>`: the status the program
#   passes to semihosting SYS_EXIT_EXTENDED becomes QEMU's exit code, which is what ctest checks.
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

# The library picks its micro-kernel and its Cortex-M block sizes from the compiler's predefined macros
# (what -mcpu/-mfpu above imply); it adds no instruction-set flags of its own.
set(CMAKE_CROSSCOMPILING_EMULATOR
    "qemu-system-arm;-M;${_lowrank_qemu_machine};-nographic;-semihosting;-kernel")

# Programs from the host; libraries and headers from the target's sysroot only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
