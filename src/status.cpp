#include "lowrank/status.hpp"

namespace lowrank {

const char* to_string(status s) noexcept {
  switch (s) {
    case status::ok: return "ok";
    case status::converged: return "converged";
    case status::max_iterations: return "max_iterations";
    case status::stalled: return "stalled";
    case status::diverged: return "diverged";
    case status::invalid_input: return "invalid_input";
    case status::zero_input: return "zero_input";
    case status::not_positive_definite: return "not_positive_definite";
    case status::invalid_argument: return "invalid_argument";
    case status::unobservable: return "unobservable";
    case status::stationary: return "stationary";
    case status::out_of_range: return "out_of_range";
  }
  return "unknown";
}

}  // namespace lowrank
