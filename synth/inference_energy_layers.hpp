// The measured whole-inference energy of a per-layer configuration (`infer-energy --mul-layer`):
// the accelerator model is "each conv/fc layer on an array of its own multiplier". Each distinct
// spec gets its own run of inference_energy (synth/inference_energy.hpp) on the synthesized netlist
// of an array of that spec, restricted to the layers that use it (the other layers take the golden
// per-layer outputs, so every layer sees the per-layer inference's activations). Each layer's
// figures come from the run of its spec; the whole-inference figures are recomposed from them
// (docs/energy.md, "Per-layer multipliers"):
//   energy per image   the sum over the runs of the image's energy in that run (each run simulates
//                      the same images, so the sum is exactly the image's per-layer total); mean and
//                      95 % CI (Student t) over these per-image sums: a paired CI, no independence
//                      assumption between the layers
//   cycles             the sum over the runs (each counts its layers only)
//   area, cells        the sum over the arrays (one array per distinct spec)
//   slack              the smallest of the arrays' slacks (one clock for all)
//   base power, leak.  cycle-weighted means: the power of the array that is running, over the
//                      inference
//   logits, accuracy   mismatches summed over the runs (each checks its logits against the golden
//                      per-layer inference); the accuracy is the run's that ran the last layer
#pragma once

#include "models/dnn/layer_multipliers.hpp"
#include "synth/inference_energy.hpp"

namespace gm {

// `opt.mul` and `opt.layers` are ignored: `layers` gives every layer's multiplier. Throws like
// inference_energy (UserError for an unknown layer name).
InferenceEnergyResult inference_energy_per_layer(const InferenceEnergyOptions& opt,
                                                 const dnn::LayerMultipliers& layers);

// The recomposition alone, for `runs` of inference_energy on the same images, one per distinct
// spec of the configuration (each restricted to its layers). Throws std::logic_error when the runs
// did not simulate the same number of images.
InferenceEnergyResult compose_per_layer_runs(const std::vector<InferenceEnergyResult>& runs);

}  // namespace gm
