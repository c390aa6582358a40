#include "cli/shard/char_records.hpp"

namespace gm {

// The (de)serializers nlohmann finds by argument-dependent lookup: they must sit in the types'
// namespace. Each lists every member of its struct; a member left out would be lost in a merge
// (ShardCharacterize's tests compare a merged report with an unsharded one).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PowerFigures, total_mw, internal_mw, switching_mw, leakage_mw)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ErrorMetrics, spec, name, pairs, exhaustive, weighted, er, med, nmed, nmed_max,
                                   mred, wce, wcre, bias, mse, var, zero_ok, commutative)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CostRatios, area, delay, power, power_vectorless, energy, energy_multiplier)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PinEnergyCheck, direct_mw, model_mw, pins_with_activity)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(InferenceLayerEnergy, layer, index, spec, macs, cycles, utilization,
                                   zero_activation_share, zero_weight_share, energy_compute_nj, energy_ci_nj,
                                   transitions, outputs, mismatches, cycles_total, cycles_model_total)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(InferenceEnergyResult, spec, array, name, layer_specs, zero_gate,
                                   images_simulated, accuracy, logit_mismatches, cycles_per_inference, clock_ns,
                                   slack_ns, area_um2, cell_count, energy_per_image_nj, energy_nj, energy_ci_nj,
                                   base_power_mw, leakage_mw, per_layer, check, validated, pins_without_energy,
                                   synth_seconds, calib_seconds, seconds, sim_seconds, sim_wall_seconds, lanes,
                                   passes, synth_cached, activity_model, glitch_share, window_cycles, timed_seconds)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ArrayInferenceLayer, layer, index, spec, macs, cycles, utilization,
                                   zero_activation_share, zero_weight_share, energy_compute_nj, energy_compute_ci_nj,
                                   energy_storage_nj, energy_storage_fp32_nj, energy_accumulator_table_nj,
                                   cycles_model)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ArrayInferenceEnergy, array, compute, per_layer, energy_compute_nj, energy_ci_nj,
                                   energy_storage_nj, energy_nj, energy_storage_fp32_nj, energy_accumulator_table_nj,
                                   mac_int8_table_nj, mac_fp32_table_nj, mem_table)

namespace {

// A spec travels as its canonical text and is parsed back (the spec parser is the one definition).
nlohmann::json spec_record(const Spec& s) { return s.canonical(); }
Spec spec_from_record(const nlohmann::json& j) { return parse_spec(j.get<std::string>()); }

}  // namespace

nlohmann::json synth_record(const SynthResult& r) {
  return {{"spec", spec_record(r.spec)},
          {"lib", r.lib},
          {"clock_ns", r.clock_ns},
          {"area_um2", r.area_um2},
          {"cells", r.cells},
          {"cell_count", r.cell_count},
          {"nand2_eq", r.nand2_eq},
          {"delay_ns", r.delay_ns},
          {"fmax_mhz", r.fmax_mhz},
          {"slack_ns", r.slack_ns},
          {"vectorless", r.vectorless},
          {"simulated", r.simulated},
          {"simulated_multiplier", r.simulated_multiplier},
          {"simulated_wrapper", r.simulated_wrapper},
          {"wrapper_flops", r.wrapper_flops},
          {"activity", r.activity},
          {"activity_order", r.activity_order},
          {"cycles", r.cycles},
          {"mean_activity", r.mean_activity},
          {"activity_model", r.activity_model},
          {"glitch_share", r.glitch_share},
          {"netlist_matches_model", r.netlist_matches_model},
          {"cached", r.cached},
          {"seconds", r.seconds}};
}

SynthResult synth_from_record(const nlohmann::json& j) {
  SynthResult r;
  r.spec = spec_from_record(j.at("spec"));
  j.at("lib").get_to(r.lib);
  j.at("clock_ns").get_to(r.clock_ns);
  j.at("area_um2").get_to(r.area_um2);
  j.at("cells").get_to(r.cells);
  j.at("cell_count").get_to(r.cell_count);
  j.at("nand2_eq").get_to(r.nand2_eq);
  j.at("delay_ns").get_to(r.delay_ns);
  j.at("fmax_mhz").get_to(r.fmax_mhz);
  j.at("slack_ns").get_to(r.slack_ns);
  j.at("vectorless").get_to(r.vectorless);
  j.at("simulated").get_to(r.simulated);
  j.at("simulated_multiplier").get_to(r.simulated_multiplier);
  j.at("simulated_wrapper").get_to(r.simulated_wrapper);
  j.at("wrapper_flops").get_to(r.wrapper_flops);
  j.at("activity").get_to(r.activity);
  j.at("activity_order").get_to(r.activity_order);
  j.at("cycles").get_to(r.cycles);
  j.at("mean_activity").get_to(r.mean_activity);
  j.at("activity_model").get_to(r.activity_model);
  j.at("glitch_share").get_to(r.glitch_share);
  j.at("netlist_matches_model").get_to(r.netlist_matches_model);
  j.at("cached").get_to(r.cached);
  j.at("seconds").get_to(r.seconds);
  return r;
}

nlohmann::json char_row_record(const CharRow& r) {
  return {{"spec", r.configuration ? nlohmann::json() : spec_record(r.spec)},  // a configuration has no spec
          {"reference", r.reference},
          {"configuration", r.configuration},
          {"config_spec", r.config_spec},
          {"config_name", r.config_name},
          {"layers", r.layers},
          {"metrics", r.metrics},
          {"synth", r.configuration ? nlohmann::json() : synth_record(r.synth)},
          {"vs_exact", r.vs_exact},
          {"vs_yosys", r.vs_yosys},
          {"front_power_mred", r.front_power_mred},
          {"front_area_mred", r.front_area_mred},
          {"front_energy_nmed", r.front_energy_nmed},
          {"has_dnn", r.has_dnn},
          {"accuracy", r.accuracy},
          {"agreement", r.agreement},
          {"macs_per_image", r.macs_per_image},
          {"energy_per_inference_nj", r.energy_per_inference_nj},
          {"wrapper_energy_per_inference_nj", r.wrapper_energy_per_inference_nj},
          {"dnn_stream", r.dnn_stream},
          {"front_accuracy_energy", r.front_accuracy_energy},
          {"has_inference", r.has_inference},
          {"inference", r.inference},
          {"inference_vs_exact", r.inference_vs_exact},
          {"has_array_energy", r.has_array_energy},
          {"energy_array", r.energy_array},
          {"array_energy_per_mac_pj", r.array_energy_per_mac_pj},
          {"array_energy_per_inference_nj", r.array_energy_per_inference_nj},
          {"array_area_um2", r.array_area_um2},
          {"array_netlist_ok", r.array_netlist_ok},
          {"has_rtl", r.has_rtl},
          {"rtl_images", r.rtl_images},
          {"rtl_array", r.rtl_array},
          {"rtl_mismatches", r.rtl_mismatches},
          {"rtl_cycles", r.rtl_cycles},
          {"rtl_cycles_model", r.rtl_cycles_model},
          {"rtl_layer_mismatches", r.rtl_layer_mismatches}};
}

CharRow char_row_from_record(const nlohmann::json& j) {
  CharRow r;
  j.at("configuration").get_to(r.configuration);
  if (!r.configuration) {
    r.spec = spec_from_record(j.at("spec"));
    r.synth = synth_from_record(j.at("synth"));
  }
  j.at("reference").get_to(r.reference);
  j.at("config_spec").get_to(r.config_spec);
  j.at("config_name").get_to(r.config_name);
  j.at("layers").get_to(r.layers);
  j.at("metrics").get_to(r.metrics);
  j.at("vs_exact").get_to(r.vs_exact);
  j.at("vs_yosys").get_to(r.vs_yosys);
  j.at("front_power_mred").get_to(r.front_power_mred);
  j.at("front_area_mred").get_to(r.front_area_mred);
  j.at("front_energy_nmed").get_to(r.front_energy_nmed);
  j.at("has_dnn").get_to(r.has_dnn);
  j.at("accuracy").get_to(r.accuracy);
  j.at("agreement").get_to(r.agreement);
  j.at("macs_per_image").get_to(r.macs_per_image);
  j.at("energy_per_inference_nj").get_to(r.energy_per_inference_nj);
  j.at("wrapper_energy_per_inference_nj").get_to(r.wrapper_energy_per_inference_nj);
  j.at("dnn_stream").get_to(r.dnn_stream);
  j.at("front_accuracy_energy").get_to(r.front_accuracy_energy);
  j.at("has_inference").get_to(r.has_inference);
  j.at("inference").get_to(r.inference);
  j.at("inference_vs_exact").get_to(r.inference_vs_exact);
  j.at("has_array_energy").get_to(r.has_array_energy);
  j.at("energy_array").get_to(r.energy_array);
  j.at("array_energy_per_mac_pj").get_to(r.array_energy_per_mac_pj);
  j.at("array_energy_per_inference_nj").get_to(r.array_energy_per_inference_nj);
  j.at("array_area_um2").get_to(r.array_area_um2);
  j.at("array_netlist_ok").get_to(r.array_netlist_ok);
  j.at("has_rtl").get_to(r.has_rtl);
  j.at("rtl_images").get_to(r.rtl_images);
  j.at("rtl_array").get_to(r.rtl_array);
  j.at("rtl_mismatches").get_to(r.rtl_mismatches);
  j.at("rtl_cycles").get_to(r.rtl_cycles);
  j.at("rtl_cycles_model").get_to(r.rtl_cycles_model);
  j.at("rtl_layer_mismatches").get_to(r.rtl_layer_mismatches);
  return r;
}

}  // namespace gm
