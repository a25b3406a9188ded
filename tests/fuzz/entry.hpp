// The name of a target's entry point: LLVMFuzzerTestOneInput in a libFuzzer build (one target per
// executable), fuzz_<target> in the replay executable, which links every target together.
#pragma once

#ifdef LOWRANK_FUZZ_REPLAY
#define LOWRANK_FUZZ_ENTRY(target) fuzz_##target
#else
#define LOWRANK_FUZZ_ENTRY(target) LLVMFuzzerTestOneInput
#endif
