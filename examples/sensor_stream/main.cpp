// The sensor array as a stream (stream.hpp): 16 channels recorded in frames of 64 samples, three
// smooth sources seen through gains that drift slowly from frame to frame, 1% noise, 10% of the samples
// lost (NaN) and 2% of the delivered ones spiked by about +-4, each frame tracked by
// streaming::frame_tracker with robust PCA and at most K = 8 AGD iterations. A column-at-a-time
// GROUSE tracker follows the channel subspace alongside; it fits every delivered sample, spikes
// included, so its angle shows what setting them aside is worth. Prints, per frame, the rms error of
// the reconstruction against the clean signal (over all samples, and over the lost ones), the
// iterations used, and the angle between the GROUSE subspace and the true gains; then the same frames
// solved cold each time (the full run from the Nystrom start) for comparison. Writes a plot: the rms
// error per frame, tracked and cold, and one channel over the last frames with its samples, spikes and
// dropouts.
//
// Usage: sensor_stream [plot.svg]   (host; the tracking is heap-free like the library, every matrix
// static; only the plot uses the standard library's containers)
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "common/plot.hpp"
#include "sensor_stream/stream.hpp"

namespace {

using lowrank::index;
constexpr index channels = 16;
constexpr index samples = 64;  // per frame
constexpr index sources = 3;
constexpr index frames = 24;
const sensor_stream::settings how;  // 1% noise, 10% dropouts, 2% spikes, K = 8
sensor_stream::frame<channels, samples, sources> current;
lowrank::Matrix<float, channels, samples> estimate;
lowrank::Matrix<float, channels, 1> column;

/// The largest principal angle between span(U) (orthonormal columns) and span(true gains), in
/// degrees: sin^2 of it is the largest eigenvalue of R^T R, R = Q - U (U^T Q) with Q an orthonormal
/// basis of the gains (Gram-Schmidt), found by power iteration on that 3 x 3 matrix.
template <class MU>
double angle_to_gains(const MU& u) {
  double q[channels][sources];
  for (index c = 0; c < channels; ++c)
    for (index k = 0; k < sources; ++k) q[c][k] = static_cast<double>(current.gains(c, k));
  for (index k = 0; k < sources; ++k) {
    for (index p = 0; p < k; ++p) {
      double dot = 0.0;
      for (index c = 0; c < channels; ++c) dot += q[c][p] * q[c][k];
      for (index c = 0; c < channels; ++c) q[c][k] -= dot * q[c][p];
    }
    double norm = 0.0;
    for (index c = 0; c < channels; ++c) norm += q[c][k] * q[c][k];
    for (index c = 0; c < channels; ++c) q[c][k] /= std::sqrt(norm);
  }
  double r[channels][sources];
  for (index k = 0; k < sources; ++k) {
    double utq[sources];
    for (index a = 0; a < sources; ++a) {
      utq[a] = 0.0;
      for (index c = 0; c < channels; ++c) utq[a] += static_cast<double>(u(c, a)) * q[c][k];
    }
    for (index c = 0; c < channels; ++c) {
      r[c][k] = q[c][k];
      for (index a = 0; a < sources; ++a) r[c][k] -= static_cast<double>(u(c, a)) * utq[a];
    }
  }
  double rtr[sources][sources];
  for (index a = 0; a < sources; ++a)
    for (index b = 0; b < sources; ++b) {
      rtr[a][b] = 0.0;
      for (index c = 0; c < channels; ++c) rtr[a][b] += r[c][a] * r[c][b];
    }
  double z[sources] = {1.0, 0.7, 0.3}, largest = 0.0;
  for (int step = 0; step < 200; ++step) {
    double next[sources] = {}, norm = 0.0;
    for (index a = 0; a < sources; ++a)
      for (index b = 0; b < sources; ++b) next[a] += rtr[a][b] * z[b];
    for (double x : next) norm += x * x;
    norm = std::sqrt(norm);
    if (!(norm > 0.0)) return 0.0;
    for (index a = 0; a < sources; ++a) z[a] = next[a] / norm;
    largest = norm;
  }
  return std::asin(std::fmin(1.0, std::sqrt(largest))) * 180.0 / 3.14159265358979;
}

using tracker_type = sensor_stream::tracker<channels, samples, sources>;
tracker_type tracker(sensor_stream::tracking(how), lowrank::methods::agd<float>());
tracker_type cold(sensor_stream::tracking(how), lowrank::methods::agd<float>());
lowrank::streaming::grouse<float, channels, sources> subspace(lowrank::streaming::grouse_options<float>{0.1f, 32});

constexpr index plotted_channel = 8;
constexpr index plotted_frames = 4;  // the last ones

/// What the plot shows, gathered while the stream runs.
struct plot_data {
  lowrank::examples::Figure errors, trace;
  plot_data() {
    errors.title = "rms error of the reconstruction per frame";
    errors.x_label = "frame";
    errors.y_label = "rms error against the clean signal";
    errors.log_y = true;
    errors.legend = lowrank::examples::LegendPosition::outside_right;
    trace.title = "channel " + std::to_string(plotted_channel) + ", last " + std::to_string(plotted_frames) + " frames";
    trace.x_label = "sample";
    trace.y_label = "signal";
    trace.y_min = -3.0;  // spikes reach +-5: they run off the panel, their dots sit at its edge
    trace.y_max = 3.0;
    trace.legend = lowrank::examples::LegendPosition::outside_right;
  }
  std::vector<double> tracked_error, cold_error;
  std::vector<lowrank::examples::Point> truth, tracked, delivered, spikes, dropouts;

  /// The samples of frame f, once tracked (estimate holds the tracked reconstruction).
  void add_frame(index f) {
    if (f + plotted_frames < frames) return;
    for (index t = 0; t < samples; ++t) {
      const double x = static_cast<double>(f * samples + t);
      const float r = current.recorded(plotted_channel, t);
      truth.push_back({x, static_cast<double>(current.clean(plotted_channel, t))});
      tracked.push_back({x, static_cast<double>(estimate(plotted_channel, t))});
      if (!std::isfinite(r)) dropouts.push_back({x, -2.88});
      else if (current.spiked.test(plotted_channel, t)) spikes.push_back({x, std::fmax(-2.9, std::fmin(2.9, static_cast<double>(r)))});
      else delivered.push_back({x, static_cast<double>(r)});
    }
  }

  bool write(const char* path) {
    auto line = [](lowrank::examples::Figure& fig, const char* name, const char* colour, double width, bool dashed,
                   const std::vector<lowrank::examples::Point>& points) {
      auto& s = fig.add_series(name, colour, dashed);
      s.width = width;
      s.points = points;
    };
    std::vector<lowrank::examples::Point> tracked_points, cold_points, noise_points;
    for (std::size_t f = 0; f < tracked_error.size(); ++f) {
      tracked_points.push_back({static_cast<double>(f), tracked_error[f]});
      cold_points.push_back({static_cast<double>(f), cold_error[f]});
      noise_points.push_back({static_cast<double>(f), static_cast<double>(how.noise)});
    }
    line(errors, "tracked (at most K iterations per frame)", "#1f77b4", 2.5, false, tracked_points);
    line(errors, "cold (Nystrom start, to the end)", "#ff7f0e", 1.5, false, cold_points);
    line(errors, "sensor noise", "#111111", 1.0, true, noise_points);
    line(trace, "tracked reconstruction", "#1f77b4", 2.5, false, tracked);
    line(trace, "clean signal (truth)", "#111111", 1.0, true, truth);
    // Dots: one-point series, which the plot draws as dots (same-named series share a legend entry).
    auto dots = [this](const char* name, const char* colour, double size, const std::vector<lowrank::examples::Point>& points) {
      for (const auto& p : points) {
        auto& s = trace.add_series(name, colour);
        s.width = size;
        s.add(p.x, p.y);
      }
    };
    dots("recorded samples", "#8c8c8c", 0.8, delivered);
    dots("spikes (set aside)", "#d62728", 1.6, spikes);
    dots("dropouts (their times, along the bottom)", "#9467bd", 0.8, dropouts);
    return lowrank::examples::write_svg_panels({errors, trace}, path, 1, 1100.0, 300.0);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const char* svg_path = argc > 1 ? argv[1] : "sensor_stream.svg";
  plot_data plot;
  std::printf("sensor stream: %zu channels, frames of %zu samples, %zu sources (rank %zu), noise %.2f, "
              "%.0f%% dropouts, %.0f%% spikes; K = %zu iterations per frame\n",
              static_cast<std::size_t>(channels), static_cast<std::size_t>(samples), static_cast<std::size_t>(sources),
              static_cast<std::size_t>(sources), static_cast<double>(how.noise), 100.0 * static_cast<double>(how.dropout_rate),
              100.0 * static_cast<double>(how.spike_rate), static_cast<std::size_t>(how.per_frame_iterations));
  std::printf("frame  status          iterations  rms error (all / dropouts)   cold: iterations  rms error   "
              "GROUSE angle\n");
  lowrank::random::Xoshiro128StarStar uniform(1);
  lowrank::random::GaussianGenerator<float> gaussian(2);
  double worst_tracked = 0.0, worst_cold = 0.0;
  index tracked_iterations = 0, cold_iterations = 0;
  bool ok = true;
  for (index f = 0; f < frames; ++f) {
    current.make(f, how, uniform, gaussian);
    const auto report = tracker.track(current.recorded);
    sensor_stream::reconstruct(tracker, estimate);
    const double all = current.rms_error(estimate), lost = current.rms_error(estimate, true);
    plot.add_frame(f);
    cold.reset();  // the same frame from scratch: the Nystrom start and up to 1000 iterations
    const auto cold_report = cold.track(current.recorded);
    sensor_stream::reconstruct(cold, estimate);
    const double cold_all = current.rms_error(estimate);
    plot.tracked_error.push_back(all);
    plot.cold_error.push_back(cold_all);
    for (index t = 0; t < samples; ++t) {  // the frame's columns, one at a time
      for (index c = 0; c < channels; ++c) column(c, 0) = current.recorded(c, t);
      subspace.update(column);
    }
    std::printf("%5zu  %-15s %10zu  %10.4f / %.4f %16zu  %10.4f   %8.3f deg\n", static_cast<std::size_t>(f),
                lowrank::to_string(report.status), static_cast<std::size_t>(report.iterations), all, lost,
                static_cast<std::size_t>(cold_report.iterations), cold_all, angle_to_gains(subspace.subspace()));
    if (f > 0) {
      worst_tracked = std::fmax(worst_tracked, all);
      worst_cold = std::fmax(worst_cold, cold_all);
      tracked_iterations += report.iterations;
      cold_iterations += cold_report.iterations;
    }
    ok = ok && (report.status == lowrank::status::max_iterations || lowrank::succeeded(report.status));
  }
  std::printf("frames 1..%zu: tracked worst rms %.4f in %zu iterations, cold worst rms %.4f in %zu iterations "
              "(the noise itself is rms %.4f)\n",
              static_cast<std::size_t>(frames - 1), worst_tracked, static_cast<std::size_t>(tracked_iterations),
              worst_cold, static_cast<std::size_t>(cold_iterations), static_cast<double>(how.noise));
  if (!plot.write(svg_path)) {
    std::fprintf(stderr, "cannot write %s\n", svg_path);
    return 1;
  }
  std::printf("wrote %s\n", svg_path);
  return ok && worst_tracked < 5.0 * static_cast<double>(how.noise) ? 0 : 1;
}
