// Cleaning a sensor-array recording with lowrank, shared by the host example (main.cpp) and the
// Cortex-M firmware's self-test: heap-free, no <random>, sizes fixed at compile time.
//
// The recording: `Channels` sensors sampled `Samples` times. A few smooth sources, each seen by every
// channel through a smooth gain, make the clean signal a matrix of rank `Sources`. The sensors add a
// little noise, drop samples (recorded as NaN) and sometimes spike (a gross error at one sample).
//
// Two cleanings, both on the library's solvers:
//   completion   problems::masked on the samples delivered: fills the dropouts, but the spikes are
//                fitted as if they were signal and smear into their neighbourhood;
//   robust PCA   problems::robust_pca with the same mask: fills the dropouts and sets the spikes
//                aside as the sparse part S, whose support says which samples were spikes.
// Both run AGD with the step set from an estimate of sigma_1 (so the scale of the data, volts or
// millivolts, does not matter) from the library's small random initialization.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include <lowrank/lowrank.hpp>
#include <lowrank/problems/masked.hpp>
#include <lowrank/problems/robust.hpp>

namespace sensor_array {

using lowrank::index;

/// How the sensors misbehave.
struct corruption {
  float noise = 0.01f;       ///< standard deviation of the sensor noise (the clean signal is ~1)
  float dropouts = 0.2f;     ///< fraction of samples lost (NaN in the recording)
  float spikes = 0.03f;      ///< fraction of delivered samples hit by a spike
  float spike_size = 4.0f;   ///< spikes are +-(0.75 .. 1.25) spike_size
  std::uint64_t seed = 1;
};

/// A recording and what was done to it (the truth is kept to score the cleaning).
template <index Channels, index Samples>
struct Recording {
  lowrank::Matrix<float, Channels, Samples> clean;     ///< the sources through the gains, noise free
  lowrank::Matrix<float, Channels, Samples> recorded;  ///< what the sensors delivered; NaN = dropout
  lowrank::BitMask<Channels, Samples> spiked;          ///< where spikes were injected
};

/// Source k over sample t: a sinusoid with 1.5 + 1.7 k cycles over the record.
inline float source(index k, index t, index samples) noexcept {
  const float two_pi = 6.2831853f;
  const float cycles = 1.5f + 1.7f * static_cast<float>(k);
  return std::sin(two_pi * cycles * static_cast<float>(t) / static_cast<float>(samples) + 0.9f * static_cast<float>(k));
}

/// Gain of channel c for source k: a smooth profile across the array (c at position (c + 1/2) / C).
inline float gain(index k, index c, index channels) noexcept {
  const float position = (static_cast<float>(c) + 0.5f) / static_cast<float>(channels);
  return (1.0f - 0.25f * static_cast<float>(k)) *
         std::cos(3.1415927f * (static_cast<float>(k) + 0.6f) * position + 0.4f * static_cast<float>(k));
}

/// Fills `r` with a rank-`Sources` recording corrupted as `how` says.
template <index Sources, index Channels, index Samples>
void synthesize(Recording<Channels, Samples>& r, const corruption& how) noexcept {
  lowrank::random::Xoshiro128StarStar uniform(how.seed);
  lowrank::random::GaussianGenerator<float> gaussian(how.seed + 1);
  r.spiked.clear();
  for (index c = 0; c < Channels; ++c) {
    for (index t = 0; t < Samples; ++t) {
      float value = 0.0f;
      for (index k = 0; k < Sources; ++k) value += gain(k, c, Channels) * source(k, t, Samples);
      r.clean(c, t) = value;
      const float noise = how.noise * gaussian.next();
      const bool dropped = uniform.uniform_float_closed_open() < how.dropouts;
      const bool spike = uniform.uniform_float_closed_open() < how.spikes && !dropped;
      const float spike_sign = uniform.uniform_float_closed_open() < 0.5f ? -1.0f : 1.0f;
      const float spike_scale = 0.75f + 0.5f * uniform.uniform_float_closed_open();
      r.spiked.set(c, t, spike);
      r.recorded(c, t) = dropped ? std::numeric_limits<float>::quiet_NaN()
                                 : value + noise + (spike ? spike_sign * spike_scale * how.spike_size : 0.0f);
    }
  }
}

/// The solver state for one array size and model rank. Large: declare it `static`.
template <index Channels, index Samples, index Rank>
class Cleaner {
 public:
  /// `alpha`: the fraction of each channel and of each time column that may be spikes (at least the
  /// true fraction, below 1/2); `noise`: the sensor noise level. Residuals below 10 noise are never
  /// taken for spikes (Gaussian noise essentially never gets there).
  Cleaner(float alpha, float noise) noexcept
      : completion_(lowrank::problems::masked(data_, observed_)),
        robust_(lowrank::problems::robust(data_, observed_,
                                          lowrank::problems::robust_options<float>{alpha, 0.25f, 10.0f * noise})) {}
  Cleaner(const Cleaner&) = delete;  // the problems point into this object
  Cleaner& operator=(const Cleaner&) = delete;

  /// Fills the dropouts of `recorded` by completion (spikes are taken as signal).
  lowrank::solve_report<float> complete(const lowrank::Matrix<float, Channels, Samples>& recorded) noexcept {
    load(recorded);
    return lowrank::solve(completion_, lowrank::methods::agd<float>(), lowrank::init::random{1}, x_, y_, work_,
                          options());
  }

  /// Fills the dropouts and sets the spikes aside (robust PCA); spikes() then says where they were.
  lowrank::solve_report<float> remove_spikes(const lowrank::Matrix<float, Channels, Samples>& recorded) noexcept {
    load(recorded);
    const auto report = lowrank::solve(robust_, lowrank::methods::agd<float>(), lowrank::init::random{1}, x_, y_,
                                       work_, options());
    robust_.estimate_sparse(x_, y_, work_);  // S at the factors returned (the best iterate)
    return report;
  }

  /// The low-rank reconstruction X Y^T of the last cleaning.
  void reconstruct(lowrank::Matrix<float, Channels, Samples>& out) noexcept {
    lowrank::gemm(1.0f, x_, lowrank::transpose(y_), 0.0f, out, work_.gemm);
  }
  /// The samples robust PCA put in S (valid after remove_spikes).
  const lowrank::BitMask<Channels, Samples>& spikes() const noexcept { return work_.support; }

 private:
  /// Noisy data cannot be fitted exactly: stop when the error has levelled off.
  static lowrank::solve_options<float> options() noexcept {
    lowrank::solve_options<float> o;
    o.target_relative_error = 0.0f;
    o.max_iterations = 3000;
    o.stall_window = 200;
    o.stall_improvement = 1e-4f;
    return o;
  }

  /// Copies the recording into the problems' matrix and marks what was delivered. AGD's default
  /// step, 1 / sigma_1 of the delivered samples (estimated at each solve), suits volts and
  /// millivolts alike.
  void load(const lowrank::Matrix<float, Channels, Samples>& recorded) noexcept {
    lowrank::observe_finite(recorded, observed_);  // a NaN is a dropout
    for (index c = 0; c < Channels; ++c)
      for (index t = 0; t < Samples; ++t) data_(c, t) = observed_.test(c, t) ? recorded(c, t) : 0.0f;
  }

  lowrank::Matrix<float, Channels, Samples> data_;
  lowrank::BitMask<Channels, Samples> observed_;
  lowrank::problems::masked_matrix<float, Channels, Samples> completion_;
  lowrank::problems::robust_pca<float, Channels, Samples> robust_;
  lowrank::Matrix<float, Channels, Rank> x_;
  lowrank::Matrix<float, Samples, Rank> y_;
  lowrank::RobustWorkspace<float, Channels, Samples, Rank> work_;
};

/// Scores of a reconstruction against the truth.
struct score {
  float rms_all = 0.0f;       ///< over every sample
  float rms_dropouts = 0.0f;  ///< over the samples that were lost
  float rms_delivered = 0.0f; ///< over the samples that were delivered (spikes included)
};

template <index Channels, index Samples>
score rms_error(const lowrank::Matrix<float, Channels, Samples>& estimate, const Recording<Channels, Samples>& r) noexcept {
  float all = 0.0f, lost = 0.0f, kept = 0.0f;
  index lost_count = 0, kept_count = 0;
  for (index c = 0; c < Channels; ++c)
    for (index t = 0; t < Samples; ++t) {
      const float e = estimate(c, t) - r.clean(c, t);
      all += e * e;
      if (r.recorded(c, t) == r.recorded(c, t)) {
        kept += e * e;
        ++kept_count;
      } else {
        lost += e * e;
        ++lost_count;
      }
    }
  score s;
  s.rms_all = std::sqrt(all / static_cast<float>(Channels * Samples));
  s.rms_dropouts = lost_count > 0 ? std::sqrt(lost / static_cast<float>(lost_count)) : 0.0f;
  s.rms_delivered = kept_count > 0 ? std::sqrt(kept / static_cast<float>(kept_count)) : 0.0f;
  return s;
}

/// How well the spikes were found: planted, found, and found ones that were planted.
struct spike_score {
  index planted = 0;
  index found = 0;
  index correct = 0;
};

template <index Channels, index Samples>
spike_score compare_spikes(const lowrank::BitMask<Channels, Samples>& found,
                           const lowrank::BitMask<Channels, Samples>& planted) noexcept {
  spike_score s;
  s.planted = planted.count();
  s.found = found.count();
  for (index c = 0; c < Channels; ++c)
    for (index t = 0; t < Samples; ++t) s.correct += found.test(c, t) && planted.test(c, t) ? 1 : 0;
  return s;
}

}  // namespace sensor_array
