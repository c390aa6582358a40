#include "cli/evolve/evolve.hpp"

#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli/evolve/network_operands.hpp"
#include "cli/evolve/seed_netlist.hpp"
#include "models/cache/cache_key.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/errors.hpp"
#include "models/evo/library.hpp"
#include "models/files.hpp"
#include "models/metrics.hpp"
#include "models/progress.hpp"
#include "models/spec.hpp"
#include "models/version.hpp"
#include "synth/evo_cell_costs.hpp"
#include "synth/mult_synth.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using Pairs = std::vector<std::pair<int64_t, int64_t>>;

std::string read_pairs_file(const std::string& file, const std::string& option) {
  if (fs::is_directory(file)) throw UserError(option + " " + file + " is a directory; give a text file of 'a b weight' lines");
  return read_file(file);
}

Distribution parse_pairs(const std::string& text, const std::string& origin, int w, bool is_signed) {
  Distribution d = parse_distribution(text, origin);
  check_distribution(d, w, is_signed, origin);
  return d;
}

// --dist-layer LAYER=FILE, each read whole: the layer's name and its histogram's text. With --model
// the name must be one of its layers, so that a typo is not a bound on nothing.
std::vector<LayerOperandText> layer_texts(const EvolveOptions& opt) {
  std::vector<LayerOperandText> layers;
  std::string model_layers;  // with --model: ", conv1, conv2, fc1, " to look names up in
  if (!opt.model.empty() && !opt.dist_layers.empty()) {
    const dnn::Network net = load_dnn_model(opt.model);
    model_layers = ", " + dnn::gemm_layer_name_list(net) + ", ";
  }
  for (const std::string& item : opt.dist_layers) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw UserError("--dist-layer '" + item + "' is not LAYER=FILE; write e.g. --dist-layer conv1=traces/"
                      "gm_exact_s8_dadda_cnn_conv1.dist (dnn eval --trace-dir DIR --trace-layers writes them)");
    LayerOperandText l{item.substr(0, eq), "", item.substr(eq + 1)};
    for (const auto& other : layers)
      if (other.name == l.name)
        throw UserError("--dist-layer " + l.name + " is given twice; give each layer's histogram once");
    if (!model_layers.empty() && model_layers.find(", " + l.name + ", ") == std::string::npos)
      throw UserError("--dist-layer " + l.name + ": model " + opt.model + " has no such layer; its layers are " +
                      model_layers.substr(2, model_layers.size() - 4));
    // `model` always means the model's own histogram of the layer (as --model cnn means the shipped
    // model): a file of that name is ./model.
    l.from_model = l.origin == "model";
    if (l.from_model && opt.model.empty())
      throw UserError("--dist-layer " + item + ": `model` takes the layer's products from --model; with --dist "
                      "give a file (./model for a file of that name)");
    if (!l.from_model) l.text = read_pairs_file(l.origin, "--dist-layer " + l.name + "=");
    layers.push_back(std::move(l));
  }
  return layers;
}

// The error weights and the switching stream as text, from the files or from the network.
OperandTexts operand_texts(const EvolveOptions& opt) {
  OperandTexts t;
  if (!opt.model_layer.empty() && opt.model.empty()) throw UserError("--layer needs --model");
  if (!opt.model.empty()) {
    if (opt.w != 8 || !opt.is_signed)
      throw UserError("--model gives 8-bit signed operands; use --w 8 --s 1, or --dist for other widths");
    if (!opt.dist_file.empty() || !opt.stream_file.empty())
      throw UserError("--model and --dist/--stream both name the operands; give one of them");
    t.layers = layer_texts(opt);  // before the inference: a wrong layer name costs nothing
    const NetworkOperands ops = network_operands(opt.model, opt.model_images, opt.data_dir, opt.model_layer);
    t.dist = ops.histogram_text;
    t.dist_origin = "operands.dist (" + ops.label + ")";
    t.stream = ops.stream_text;
    t.stream_origin = "operands.stream (PE (0, 0) of an 8x8 array, " + ops.label + ")";
    for (auto& l : t.layers) {
      if (!l.from_model) continue;
      for (const auto& [name, text] : ops.layer_histograms)
        if (name == l.name) l.text = text;
      l.origin = "operands_" + l.name + ".dist (layer " + l.name + " of model " + opt.model + ", the first " +
                 std::to_string(opt.model_images) + " training images)";
    }
    return t;
  }
  if (opt.dist_file.empty()) throw UserError("give the operands: --dist FILE (and --stream FILE) or --model MODEL");
  t.dist = read_pairs_file(opt.dist_file, "--dist");
  t.dist_origin = opt.dist_file;
  if (!opt.stream_file.empty()) {
    t.stream = read_pairs_file(opt.stream_file, "--stream");
    t.stream_origin = opt.stream_file + " (in order)";
  }
  t.layers = layer_texts(opt);
  return t;
}

// The stream of the switching estimate: the file's pairs in order, or pairs drawn from the
// histogram (independent draws: an estimate of a stream, labelled so).
Pairs load_stream(const EvolveOptions& opt, const OperandTexts& t, const Distribution& dist, std::string& label) {
  Pairs pairs;
  if (!t.stream.empty()) {
    const Distribution s = parse_pairs(t.stream, t.stream_origin, opt.w, opt.is_signed);
    for (const auto& e : s.entries) pairs.emplace_back(e.a, e.b);
    label = t.stream_origin;
    return pairs;
  }
  std::vector<double> p;
  for (const auto& e : dist.entries) p.push_back(e.p);
  std::discrete_distribution<size_t> pick(p.begin(), p.end());
  std::mt19937_64 rng(opt.seed);
  for (size_t k = 0; k < evo::StreamActivity::kMaxPairs; ++k) {
    const auto& e = dist.entries[pick(rng)];
    pairs.emplace_back(e.a, e.b);
  }
  label = "pairs drawn independently from " + t.dist_origin;
  return pairs;
}

std::string pairs_text(const Pairs& pairs) {
  std::string s;
  for (const auto& [a, b] : pairs) s += std::to_string(a) + " " + std::to_string(b) + "\n";
  return s;
}

// Everything a bound's search depends on, but not its limits (a resumed run may search longer).
std::string search_key(const EvolveOptions& opt, const evo::GateNetlist& start, const OperandTexts& texts,
                       const Pairs& stream, const std::string& bound, const evo::GateCosts& costs) {
  std::ostringstream k;
  k << "greenmac evolve checkpoint 1\n"
    << "w=" << opt.w << " s=" << opt.is_signed << " seed=" << opt.seed << " lambda=" << opt.cgp.lambda
    << " max_mutations=" << opt.cgp.max_mutations << " area_weight=" << opt.cgp.area_weight << "\n"
    << "bound=" << bound << "\n";
  // The unit delay is another cost: another search. (Zero-delay runs keep the key they always had.)
  if (opt.activity_delay != evo::ActivityDelay::kZero) k << "delay=" << evo::activity_delay_name(opt.activity_delay) << "\n";
  for (double a : costs.area) k << a << " ";
  k << "\n" << sha256_hex(texts.dist) << "\n" << sha256_hex(pairs_text(stream)) << "\n";
  // Each --dist-layer histogram by content: a changed layer file is another search. (A run without
  // layers keeps the key it always had.)
  for (const auto& l : texts.layers) k << "layer " << l.name << " " << sha256_hex(l.text) << "\n";
  k << evo::canonical_text(start);
  return sha256_hex(k.str()).substr(0, 16);
}

nlohmann::json state_json(const evo::CgpState& s, const std::string& key) {
  return {{"key", key},
          {"generations", s.generations},
          {"evaluations", s.evaluations},
          {"seconds", s.seconds},
          {"rng", s.rng},
          {"parent", evo::canonical_text(s.parent)}};
}

// A checkpoint of this key, or nothing. A file that does not read back is an error: it was
// changed by hand or by another program.
bool read_checkpoint(const fs::path& file, const std::string& key, evo::CgpState& s) {
  if (!fs::exists(file)) return false;
  try {
    const auto j = nlohmann::json::parse(read_file(file));
    if (j.at("key").get<std::string>() != key) return false;
    s.generations = j.at("generations").get<uint64_t>();
    s.evaluations = j.at("evaluations").get<uint64_t>();
    s.seconds = j.at("seconds").get<double>();
    s.rng = j.at("rng").get<std::string>();
    s.parent = evo::parse_gate_netlist(j.at("parent").get<std::string>(), file.string());
    return true;
  } catch (const nlohmann::json::exception& e) {
    throw UserError(file.string() + ": not a checkpoint of greenmac evolve (" + e.what() +
                    "); delete it to start that search again");
  }
}

// metrics.cpp's weighted figures of the stored circuit (an implementation apart from the
// search's evaluator) against the bound: the check that decides what the library holds.
bool stored_metrics_within(const evo::GateNetlist& n, const Distribution& dist, const evo::ErrorBound& bound) {
  MetricOptions mo;
  mo.dist = &dist;
  const ErrorMetrics m = compute_metrics(evo::netlist_model(n), n.w, n.is_signed, mo);
  evo::WeightedError e;
  e.er = m.er, e.wmed = m.med, e.wmred = m.mred, e.wce = static_cast<double>(m.wce), e.bias = m.bias, e.wmse = m.mse;
  for (const auto& l : bound.limits)
    if (e.get(l.metric) > l.value * (1 + 1e-9) + 1e-12) return false;
  return true;
}

// The same on the whole network's histogram and on every --dist-layer one: "" when within on all,
// else where it is not ("the whole network" or the first layer's name).
std::string stored_metrics_outside(const evo::GateNetlist& n, const EvolveInputs& in, const evo::ErrorBound& bound) {
  if (!stored_metrics_within(n, in.dist, bound)) return "the whole network";
  for (const auto& l : in.layers)
    if (!stored_metrics_within(n, l.dist, bound)) return "layer " + l.name;
  return "";
}

nlohmann::ordered_json error_json(const evo::WeightedError& e) {
  return {{"er", e.er}, {"wmed", e.wmed}, {"wmred", e.wmred}, {"wce", e.wce}, {"bias", e.bias}, {"wmse", e.wmse}};
}

nlohmann::ordered_json fitness_json(const evo::Fitness& f) {
  return {{"er", f.error.er},     {"wmed", f.error.wmed}, {"wmred", f.error.wmred},
          {"wce", f.error.wce},   {"bias", f.error.bias}, {"wmse", f.error.wmse},
          {"gates", f.gates},     {"area_um2_estimate", f.area},
          {"switching_estimate", f.energy}};
}

void measure(const EvolveOptions& opt, const Pairs& stream, EvolveResult& r) {
  std::vector<SynthDesign> designs;
  auto seq = std::make_shared<Pairs>(stream);
  const auto add = [&](const std::string& spec) {
    SynthDesign d;
    d.spec = parse_spec(spec);
    d.sequence = seq;
    d.activity_label = r.stream_label;
    designs.push_back(d);
  };
  add(r.seed_spec);
  for (const auto& c : r.circuits)
    if (!c.id.empty()) add(c.spec);
  SynthOptions so;
  so.lib = opt.lib;
  so.progress = opt.progress;
  so.jobs = std::max(1, opt.threads);
  const auto results = synth_designs(designs, so);
  r.seed_measured_pj = results[0].energy_multiplier_pj();
  r.seed_measured_area_um2 = results[0].area_um2;
  size_t k = 1;
  for (auto& c : r.circuits) {
    if (c.id.empty()) continue;
    c.measured_pj = results[k].energy_multiplier_pj();
    c.measured_area_um2 = results[k].area_um2;
    c.netlist_matches_model = results[k].netlist_matches_model;
    ++k;
  }
}

}  // namespace

EvolveInputs read_evolve_inputs(const EvolveOptions& opt) {
  if (opt.w < evo::kMinWidth || opt.w > evo::kMaxWidth)
    throw UserError("--w " + std::to_string(opt.w) + " is out of range; give 2..8 (the simulator evaluates every pair)");
  if (opt.bounds.empty()) throw UserError("no --bound given; give at least one, e.g. --bound wmed=0.1%");
  if (opt.evaluations == 0 && !(opt.seconds > 0))
    throw UserError("give --seconds T > 0 or --evaluations N: the search needs a limit");
  EvolveInputs in;
  for (const auto& b : opt.bounds) in.bounds.push_back(evo::parse_error_bound(b, opt.w));
  parse_operands(opt, operand_texts(opt), in);
  in.costs = evo_gate_costs(resolve_liberty(opt.lib));
  in.seed_spec = opt.seed_from.empty() ? "exact:w=" + std::to_string(opt.w) + ",s=" + (opt.is_signed ? "1" : "0")
                                       : opt.seed_from;
  in.seed = seed_netlist(in.seed_spec, opt.w, opt.is_signed);
  in.seed_spec = parse_spec(in.seed_spec).canonical();
  return in;
}

void parse_operands(const EvolveOptions& opt, const OperandTexts& texts, EvolveInputs& in) {
  in.texts = texts;
  in.dist = parse_pairs(texts.dist, texts.dist_origin, opt.w, opt.is_signed);
  in.stream = load_stream(opt, texts, in.dist, in.stream_label);
  in.layers.clear();
  for (const auto& l : texts.layers)
    in.layers.push_back({l.name, parse_pairs(l.text, "--dist-layer " + l.name + "=" + l.origin, opt.w, opt.is_signed)});
}

void open_library(const EvolveOptions& opt, const EvolveInputs& in) {
  ensure_output_dir(opt.out);  // after every input was read: bad input leaves no folder behind
  if (!opt.model.empty()) {
    write_file_atomic(opt.out / "operands.dist", in.texts.dist);
    write_file_atomic(opt.out / "operands.stream", in.texts.stream);
    for (const auto& l : in.texts.layers)
      if (l.from_model) write_file_atomic(opt.out / ("operands_" + l.name + ".dist"), l.text);
  }
}

SearchRun search_bounds(const EvolveOptions& opt, const EvolveInputs& in, uint64_t random_seed) {
  SearchRun run;
  const evo::ErrorEvaluator error(in.dist, opt.w, opt.is_signed);
  run.dist_entries = error.entries();
  std::vector<evo::ErrorEvaluator> layer_error;  // --dist-layer: the bound holds on each of these too
  layer_error.reserve(in.layers.size());
  std::vector<const evo::ErrorEvaluator*> layer_error_of;
  for (const auto& l : in.layers) layer_error_of.push_back(&layer_error.emplace_back(l.dist, opt.w, opt.is_signed));
  evo::StreamActivity activity(in.stream, opt.w, opt.activity_delay);
  run.stream_pairs = activity.pairs();
  evo::CgpOptions cgp = opt.cgp;
  cgp.threads = std::max(1, opt.threads);
  evo::CgpSearch search(error, activity, in.costs, cgp, layer_error_of);
  run.seed_fitness = search.evaluate(in.seed);
  // The key hashes the random seed with the rest: shards of one run (seed + I) keep apart checkpoints.
  EvolveOptions keyed = opt;
  keyed.seed = random_seed;

  const fs::path state_dir = opt.out / ".evolve";
  fs::create_directories(state_dir);
  std::vector<std::pair<evo::GateNetlist, evo::Fitness>> found = {{in.seed, run.seed_fitness}};
  progress_stage(opt.progress, "search", in.bounds.size(), "bounds");
  for (size_t i = 0; i < in.bounds.size(); ++i) {
    const evo::ErrorBound& bound = in.bounds[i];
    // Start from the cheapest circuit so far that meets this bound (the seed when none does).
    size_t start = 0;
    for (size_t k = 0; k < found.size(); ++k) {
      const auto outside = [&](const evo::Fitness& f) { return bound.violation(f.error, f.layer_errors) > 0; };
      if (outside(found[k].second)) continue;
      if (outside(found[start].second) ||
          found[k].second.cost(cgp.area_weight) < found[start].second.cost(cgp.area_weight))
        start = k;
    }
    const std::string key = search_key(keyed, found[start].first, in.texts, in.stream, bound.text, in.costs);
    const fs::path state_file = state_dir / (key + ".json");
    evo::CgpState state = search.start(found[start].first, bound, random_seed);
    FoundCircuit c;
    c.bound = bound.text;
    c.random_seed = random_seed;
    c.started_from_seed = start == 0;
    c.resumed = read_checkpoint(state_file, key, state);
    if (c.resumed) state.fitness = search.evaluate(state.parent);
    evo::CgpLimits limits;
    limits.evaluations = opt.evaluations;
    limits.seconds = opt.evaluations ? 0 : opt.seconds / static_cast<double>(in.bounds.size());
    const uint64_t evals_before = state.evaluations;
    const double seconds_before = state.seconds;
    const std::string step = "bound " + bound.text;
    if (c.resumed && opt.progress)
      opt.progress->log("greenmac evolve: " + step + " resumed at " + std::to_string(state.evaluations) + " evaluations");
    progress_begin(opt.progress, step);
    search.run(state, bound, limits, [&](const evo::CgpState& s) {
      write_file_atomic(state_file, state_json(s, key).dump(1) + "\n");
      if (opt.progress) opt.progress->note(step, std::to_string(s.evaluations) + " evaluations");
    });
    progress_end(opt.progress, step);
    run.searched_evaluations += state.evaluations - evals_before;
    run.searched_seconds += state.seconds - seconds_before;
    c.netlist = state.parent;
    c.fitness = state.fitness;
    c.evaluations = state.evaluations;
    c.generations = state.generations;
    c.seconds = state.seconds;
    if (c.met()) found.emplace_back(evo::compacted(state.parent), state.fitness);
    run.circuits.push_back(std::move(c));
  }
  return run;
}

EvolveResult store_and_measure(const EvolveOptions& opt, const EvolveInputs& in, const SearchRun& run) {
  EvolveResult r;
  r.seed_spec = in.seed_spec;
  r.seed_fitness = run.seed_fitness;
  r.seed_gates = run.seed_fitness.gates;
  r.stream_label = in.stream_label;
  r.activity_delay = opt.activity_delay;
  r.dist_origin = in.texts.dist_origin;
  for (const auto& l : in.texts.layers) r.layers.emplace_back(l.name, l.origin);
  r.stream_pairs = run.stream_pairs;
  r.dist_entries = run.dist_entries;
  r.costs = in.costs;
  for (size_t i = 0; i < run.circuits.size(); ++i) {
    const FoundCircuit& f = run.circuits[i];
    EvolvedCircuit c;
    c.bound = f.bound;
    c.fitness = f.fitness;
    c.evaluations = f.evaluations;
    c.generations = f.generations;
    c.seconds = f.seconds;
    c.resumed = f.resumed;
    c.random_seed = f.random_seed;
    c.met = f.met();
    if (c.met) {
      nlohmann::ordered_json rec = fitness_json(f.fitness);
      rec["dist"] = in.texts.dist_origin;
      if (!in.layers.empty()) {  // the bound held on each of these too (--dist-layer)
        rec["layers"] = nlohmann::ordered_json::object();
        for (size_t l = 0; l < in.layers.size(); ++l) {
          rec["layers"][in.layers[l].name] = error_json(f.fitness.layer_errors.at(l));
          rec["layers"][in.layers[l].name]["dist"] = in.texts.layers[l].origin;
        }
      }
      rec["stream"] = r.stream_label;
      rec["switching_delay"] = evo::activity_delay_name(r.activity_delay);
      rec["evaluations"] = f.evaluations;
      rec["generations"] = f.generations;
      rec["started_from"] = f.started_from_seed ? r.seed_spec : "the circuit of an earlier bound";
      rec["switching_estimate_ratio_to_seed"] =
          r.seed_fitness.energy > 0 ? f.fitness.energy / r.seed_fitness.energy : 0;
      const evo::Provenance how{.seed_design = r.seed_spec, .bound = f.bound, .run_seconds = f.seconds,
                                .random_seed = f.random_seed, .made_by = std::string("greenmac evolve ") + kVersion,
                                .search = rec};
      c.id = evo::store_in_library(opt.out, f.netlist, how);
      c.spec = parse_spec("evo:lib=" + opt.out.string() + ",id=" + c.id).canonical();
      c.outside_on = stored_metrics_outside(evo::read_library_netlist(opt.out, c.id), in, in.bounds[i]);
      c.metrics_within_bound = c.outside_on.empty();
    }
    r.circuits.push_back(c);
  }
  r.evaluations_per_second =
      run.searched_seconds > 0 ? static_cast<double>(run.searched_evaluations) / run.searched_seconds : 0;
  if (opt.synth) {
    measure(opt, in.stream, r);
    for (const auto& c : r.circuits) {
      if (c.id.empty()) continue;
      evo::record_measurement(
          opt.out, c.id,
          {{"by", "greenmac synth, the search's operand stream in order: " + r.stream_label},
           {"lib", opt.lib},
           {"energy_pj", c.measured_pj},
           {"seed_energy_pj", r.seed_measured_pj},
           {"energy_ratio_to_seed", r.seed_measured_pj > 0 ? c.measured_pj / r.seed_measured_pj : 0},
           {"area_um2", c.measured_area_um2}});
    }
  }
  return r;
}

EvolveResult run_evolve(const EvolveOptions& opt) {
  const EvolveInputs in = read_evolve_inputs(opt);
  open_library(opt, in);
  return store_and_measure(opt, in, search_bounds(opt, in, opt.seed));
}

}  // namespace gm
