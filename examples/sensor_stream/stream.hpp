// The sensor array as a stream, shared by the host example (main.cpp), the Cortex-M / RISC-V
// firmware's self-test and the instructions-per-frame benchmark: heap-free, no <random>, sizes fixed
// at compile time.
//
// `Channels` sensors recorded in frames of `Samples` samples; `Sources` smooth sources seen through
// gains that drift slowly from frame to frame (the array warms up, a sensor ages), Gaussian noise, a
// fraction of the samples lost (NaN) and a fraction of the delivered ones spiked by about +-4. Each
// frame is tracked by streaming::frame_tracker with robust PCA (dropouts filled, spikes set aside) and
// AGD: the gains X carry over from the previous frame, the new samples' Y is refit to them column by
// column with spikes left out, then at most K iterations.
#pragma once

#include <cmath>
#include <limits>

#include <lowrank/lowrank.hpp>

namespace sensor_stream {

using lowrank::index;

/// How the stream is made and how it is tracked.
struct settings {
  float noise = 0.01f;          ///< standard deviation of the sensor noise (the clean signal is ~1)
  float dropout_rate = 0.1f;    ///< fraction of samples lost
  float spike_rate = 0.02f;     ///< fraction of samples spiked (if delivered)
  index per_frame_iterations = 8;  ///< K
};

/// Source k at global sample tau: a sinusoid of period 90 / (1 + k) samples.
inline float source(index k, index tau) noexcept {
  const float kf = static_cast<float>(k);
  return std::sin(6.2831853f * static_cast<float>(tau) * (1.0f + kf) / 90.0f + 0.9f * kf);
}

/// One frame: the clean signal, what the sensors delivered, which delivered samples are spikes, and
/// the true gains (to score a tracked subspace).
template <index Channels, index Samples, index Sources>
struct frame {
  lowrank::Matrix<float, Channels, Samples> clean, recorded;
  lowrank::BitMask<Channels, Samples> spiked;
  lowrank::Matrix<float, Channels, Sources> gains;

  /// Gain of channel c for source k at frame f: a smooth profile across the array whose phase drifts.
  static float gain(index k, index c, index f) noexcept {
    const float position = (static_cast<float>(c) + 0.5f) / static_cast<float>(Channels);
    const float kf = static_cast<float>(k);
    return (1.0f - 0.25f * kf) * std::cos(3.1415927f * (kf + 0.6f) * position + 0.4f * kf + 0.03f * static_cast<float>(f));
  }

  /// Frame f of the stream, the corruption drawn from the two generators.
  void make(index f, const settings& how, lowrank::random::Xoshiro128StarStar& uniform,
            lowrank::random::GaussianGenerator<float>& gaussian) noexcept {
    for (index c = 0; c < Channels; ++c)
      for (index k = 0; k < Sources; ++k) gains(c, k) = gain(k, c, f);
    for (index c = 0; c < Channels; ++c)
      for (index t = 0; t < Samples; ++t) {
        float value = 0.0f;
        for (index k = 0; k < Sources; ++k) value += gains(c, k) * source(k, f * Samples + t);
        clean(c, t) = value;
        const float n = how.noise * gaussian.next();
        const bool dropped = uniform.uniform_float_closed_open() < how.dropout_rate;
        const bool spike = uniform.uniform_float_closed_open() < how.spike_rate;
        const float size = (uniform.uniform_float_closed_open() < 0.5f ? -4.0f : 4.0f) *
                           (0.75f + 0.5f * uniform.uniform_float_closed_open());
        recorded(c, t) = dropped ? std::numeric_limits<float>::quiet_NaN() : value + n + (spike ? size : 0.0f);
        spiked.set(c, t, spike && !dropped);
      }
  }

  /// rms of estimate - clean over every sample (lost_only: over the dropouts).
  double rms_error(const lowrank::Matrix<float, Channels, Samples>& estimate, bool lost_only = false) const noexcept {
    double sum = 0.0;
    index count = 0;
    for (index c = 0; c < Channels; ++c)
      for (index t = 0; t < Samples; ++t) {
        if (lost_only && std::isfinite(recorded(c, t))) continue;
        const double e = static_cast<double>(estimate(c, t)) - static_cast<double>(clean(c, t));
        sum += e * e;
        ++count;
      }
    return count > 0 ? std::sqrt(sum / static_cast<double>(count)) : 0.0;
  }
};

/// The tracker's options for this stream.
inline lowrank::streaming::track_options<float> tracking(const settings& how) noexcept {
  lowrank::streaming::track_options<float> o;
  o.per_frame.max_iterations = how.per_frame_iterations;
  o.per_frame.target_relative_error = 0.0f;  // noisy data: stop at the cap or the best rank-r fit
  o.sparse_fraction = 0.25f;                 // up to a quarter of a channel's samples may be spikes
  o.outlier_floor = 10.0f * how.noise;       // residuals below 10 noise are never spikes
  o.refit_columns = true;                    // each frame is new samples: only the gains carry over
  return o;
}

/// The tracker: robust PCA by AGD, frame by frame.
template <index Channels, index Samples, index Sources>
using tracker = lowrank::streaming::frame_tracker<float, Channels, Samples, Sources, lowrank::methods::agd<float>>;

/// X Y^T of the frame the tracker took last, into `estimate`.
template <index Channels, index Samples, index Sources>
void reconstruct(tracker<Channels, Samples, Sources>& t, lowrank::Matrix<float, Channels, Samples>& estimate) noexcept {
  lowrank::gemm(1.0f, t.x(), lowrank::transpose(t.y()), 0.0f, estimate, t.workspace().gemm);
}

}  // namespace sensor_stream
