#include "synth/cycle_activity.hpp"

#include <stdexcept>

namespace gm {

CycleActivity::CycleActivity(CycleCounts counts) : c_(std::move(counts)), seen_(c_.is_clock->size(), false) {
  if (c_.samples < 2) throw std::runtime_error("need at least 2 sampled cycles for the activity");
  res_.cycles = c_.samples;
  res_.timed = c_.timed;
}

double CycleActivity::activity(int net) const {
  return net < 2 ? 0.0 : static_cast<double>((*c_.transitions)[net]) / static_cast<double>(c_.samples - 1);
}

double CycleActivity::duty(int net) const {
  return net < 2 ? static_cast<double>(net) : static_cast<double>(c_.ones(net)) / static_cast<double>(c_.samples);
}

void CycleActivity::pin(const std::string& instance, const std::string& pin, int net) {
  if (!(*c_.is_clock)[net]) res_.pins.push_back({instance, pin, activity(net), duty(net)});
}

void CycleActivity::input(const std::string& bit_name, int net) {
  res_.input_ports.push_back({bit_name, activity(net), duty(net)});
  add(net);
}

void CycleActivity::driven(int net) { add(net); }

// Each non-constant, non-clock net once.
void CycleActivity::add(int net) {
  if (net < 2 || (*c_.is_clock)[net] || seen_[net]) return;
  seen_[net] = true;
  sum_ += activity(net);
  res_.timed_transitions += (*c_.transitions)[net];
  res_.zero_delay_transitions += (*c_.zero_delay)[net];
  ++counted_;
}

GateSimResult CycleActivity::finish() {
  res_.mean_net_activity = counted_ ? sum_ / counted_ : 0;
  res_.glitch_share = res_.timed_transitions
                          ? 1.0 - static_cast<double>(res_.zero_delay_transitions) / res_.timed_transitions
                          : 0.0;
  return std::move(res_);
}

}  // namespace gm
