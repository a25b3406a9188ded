// A sensor array with dropouts and spikes, cleaned by matrix completion and by robust PCA.
//
// 16 channels x 128 samples of three smooth sources seen through smooth per-channel gains (a rank-3
// signal), 1% noise, 20% of the samples lost (NaN) and 3% of the delivered ones spiked by about
// +-4 (four times the signal's amplitude). Prints errors before and after each cleaning and how many
// spikes robust PCA found, and writes sensor_array.svg: three channels over time, with the truth, the
// recording (gaps are dropouts, excursions are spikes), both reconstructions and the detected spikes.
//
// Usage: sensor_array [output.svg]   (default sensor_array.svg)
// A host example (it uses the standard library for the plot); the cleaning itself is cleanup.hpp,
// which the Cortex-M firmware runs too.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "common/plot.hpp"
#include "sensor_array/cleanup.hpp"

namespace {

constexpr lowrank::index channels = 16;
constexpr lowrank::index samples = 128;
constexpr lowrank::index sources = 3;

sensor_array::Recording<channels, samples> recording;
sensor_array::Recording<channels, samples> without_spikes;  // the same recording, spikes left out
// alpha = 0.25: a time column has about 13 delivered samples, so up to 3 of them may be taken for
// spikes (3% spikes put 2 in a column now and then, 3 rarely). A smaller alpha misses the spikes of a
// crowded column; a larger one lets T_alpha set aside more of each column's peaks while the fit is
// still rough, which slows the run down.
sensor_array::Cleaner<channels, samples, sources> cleaner(/*alpha=*/0.25f, /*noise=*/0.01f);
lowrank::Matrix<float, channels, samples> completed;
lowrank::Matrix<float, channels, samples> robust;

void print_score(const char* what, const sensor_array::score& s) {
  std::printf("  %-34s rms error %.4f overall, %.4f on dropouts, %.4f on delivered samples\n", what,
              static_cast<double>(s.rms_all), static_cast<double>(s.rms_dropouts), static_cast<double>(s.rms_delivered));
}

/// One panel: channel c over time.
lowrank::examples::Figure channel_figure(lowrank::index c, const lowrank::BitMask<channels, samples>& found) {
  using lowrank::examples::Figure;
  Figure f;
  f.title = "channel " + std::to_string(c) + " of " + std::to_string(channels);
  f.x_label = "sample";
  f.y_label = "signal";
  f.x_min = 0.0;
  f.x_max = static_cast<double>(samples);
  f.y_min = -3.0;  // spikes reach +-5: they run off the panel, their dots sit at its edge
  f.y_max = 3.0;
  f.legend = lowrank::examples::LegendPosition::outside_right;  // on every panel, so the axes align
  // Lines: each series filled before the next is added (add_series may move the earlier ones).
  auto line = [&f](const char* name, const char* colour, double width, bool dashed,
                   const lowrank::Matrix<float, channels, samples>& values, lowrank::index row) {
    auto& s = f.add_series(name, colour, dashed);
    s.width = width;
    for (lowrank::index t = 0; t < samples; ++t) s.add(static_cast<double>(t), static_cast<double>(values(row, t)));
  };
  line("completion only", "#ff7f0e", 1.25, false, completed, c);
  line("robust PCA", "#1f77b4", 3.0, false, robust, c);
  line("clean signal (truth)", "#111111", 1.0, true, recording.clean, c);  // dashed, over the blue
  // Dots, over the lines: one-point series (drawn as dots; same-named series share a legend entry).
  auto dot = [&f](const char* name, const char* colour, double x, double y, double size) {
    auto& s = f.add_series(name, colour);
    s.width = size;
    s.add(x, y);
  };
  auto is_delivered = [c](lowrank::index t) { return recording.recorded(c, t) == recording.recorded(c, t); };
  for (lowrank::index t = 0; t < samples; ++t)
    if (is_delivered(t))
      dot("recorded samples", "#8c8c8c", static_cast<double>(t), static_cast<double>(recording.recorded(c, t)), 0.8);
  for (lowrank::index t = 0; t < samples; ++t)
    if (!is_delivered(t)) dot("dropouts (their times, along the bottom)", "#9467bd", static_cast<double>(t), -2.88, 0.8);
  // Detected spikes at the recorded value, or at the panel's edge when they run off it.
  for (lowrank::index t = 0; t < samples; ++t) {
    if (!found.test(c, t)) continue;
    const double v = static_cast<double>(recording.recorded(c, t));
    dot("spikes found by robust PCA", "#d62728", static_cast<double>(t), v > 2.7 ? 2.7 : (v < -2.7 ? -2.7 : v),
        1.6);
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const char* svg_path = argc > 1 ? argv[1] : "sensor_array.svg";
  sensor_array::corruption how;  // 1% noise, 20% dropouts, 3% spikes of ~4
  sensor_array::synthesize<sources>(recording, how);

  std::printf("sensor array: %zu channels x %zu samples, %zu smooth sources (rank %zu), noise %.2f\n",
              static_cast<std::size_t>(channels), static_cast<std::size_t>(samples), static_cast<std::size_t>(sources),
              static_cast<std::size_t>(sources), static_cast<double>(how.noise));
  lowrank::BitMask<channels, samples> delivered;
  lowrank::observe_finite(recording.recorded, delivered);
  std::printf("  corrupted: %zu of %zu samples dropped (NaN), %zu spikes among the rest\n",
              static_cast<std::size_t>(channels * samples - delivered.count()),
              static_cast<std::size_t>(channels * samples), static_cast<std::size_t>(recording.spiked.count()));

  // Before: the recording itself, with the dropouts filled by zeros (what a naive consumer sees).
  lowrank::Matrix<float, channels, samples> zero_filled;
  for (lowrank::index c = 0; c < channels; ++c)
    for (lowrank::index t = 0; t < samples; ++t)
      zero_filled(c, t) = delivered.test(c, t) ? recording.recorded(c, t) : 0.0f;
  std::printf("before:\n");
  print_score("recording, dropouts read as 0", sensor_array::rms_error(zero_filled, recording));

  sensor_array::corruption dropouts_only = how;
  dropouts_only.spikes = 0.0f;  // same seed: the same signal, noise and dropouts
  sensor_array::synthesize<sources>(without_spikes, dropouts_only);
  const auto spike_free = cleaner.complete(without_spikes.recorded);
  cleaner.reconstruct(completed);
  const auto spike_free_score = sensor_array::rms_error(completed, without_spikes);
  const auto by_completion = cleaner.complete(recording.recorded);
  cleaner.reconstruct(completed);
  const auto by_robust = cleaner.remove_spikes(recording.recorded);
  cleaner.reconstruct(robust);
  const auto spikes = sensor_array::compare_spikes(cleaner.spikes(), recording.spiked);

  auto print_status = [](const lowrank::solve_report<float>& r) {
    std::printf("  %-34s (%s after %zu iterations)\n", "", lowrank::to_string(r.status),
                static_cast<std::size_t>(r.iterations));
  };
  std::printf("after (AGD, rank %zu, step 1 / sigma_1, random start):\n", static_cast<std::size_t>(sources));
  print_score("completion, if there were no spikes", spike_free_score);
  print_status(spike_free);
  print_score("completion (spikes taken as signal)", sensor_array::rms_error(completed, recording));
  print_status(by_completion);
  print_score("robust PCA (dropouts and spikes)", sensor_array::rms_error(robust, recording));
  print_status(by_robust);
  std::printf("spikes: %zu injected, %zu found by robust PCA, %zu of them real (%zu missed, %zu false alarms)\n",
              static_cast<std::size_t>(spikes.planted), static_cast<std::size_t>(spikes.found),
              static_cast<std::size_t>(spikes.correct), static_cast<std::size_t>(spikes.planted - spikes.correct),
              static_cast<std::size_t>(spikes.found - spikes.correct));
  std::printf("(noise floor: rms %.4f is the sensor noise itself)\n", static_cast<double>(how.noise));

  std::vector<lowrank::examples::Figure> panels;
  for (lowrank::index c : {1u, 8u, 15u}) panels.push_back(channel_figure(c, cleaner.spikes()));
  if (!lowrank::examples::write_svg_panels(panels, svg_path, 1, 1100.0, 280.0)) {
    std::fprintf(stderr, "cannot write %s\n", svg_path);
    return 1;
  }
  std::printf("wrote %s\n", svg_path);
  // Noisy data end at a stationary point (the best rank-3 fit); anything else is a failure.
  return lowrank::succeeded(by_robust.status) ? 0 : 1;
}
