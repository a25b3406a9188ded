// Instructions per tracked frame of the firmware's sensor stream (examples/sensor_stream/stream.hpp:
// 16 channels, frames of 32 samples, 3 sources, robust PCA by at most 8 AGD iterations per frame),
// for counting under QEMU (tests/benchmark/instructions.sh). Every build makes the same FRAMES frames
// in the same order and tracks the first TRACKED of them, so the difference between two builds is
// the tracking of the frames in between, nothing else.
#include <lowrank/lowrank.hpp>

#include "semihosting.hpp"
#include "sensor_stream/stream.hpp"
#include "text.hpp"

#ifndef FRAMES
#define FRAMES 13
#endif
#ifndef TRACKED
#define TRACKED 3
#endif

namespace {
using lowrank::index;
constexpr index channels = 16, samples = 32, sources = 3;
const sensor_stream::settings how;
sensor_stream::frame<channels, samples, sources> current;
sensor_stream::tracker<channels, samples, sources> tracker(sensor_stream::tracking(how), lowrank::methods::agd<float>());
}  // namespace

int main() {
  lowrank::random::Xoshiro128StarStar uniform(1);
  lowrank::random::GaussianGenerator<float> gaussian(2);
  index iterations = 0;
  for (index f = 0; f < FRAMES; ++f) {
    current.make(f, how, uniform, gaussian);
    if (f < TRACKED) iterations += tracker.track(current.recorded).iterations;
  }
  firmware::Line line;
  line << "sensor stream: " << static_cast<index>(TRACKED) << " of " << static_cast<index>(FRAMES)
       << " frames tracked in " << iterations << " iterations\n";
  semihosting::write(line.c_str());
  return 0;
}
