// The model file (greenmac-qnn-1 JSON, docs/dnn.md): writing, and reading with a complete check.
//
// A model file is input the user points at, so nothing in it is trusted: every field is checked for
// presence, JSON type and range, and the shapes are chained from the input through every layer,
// before any inference allocates or indexes anything with them. Each problem is one DataError line
// that names the layer (index and kind) and the field.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"  // DataError (header-only type)

namespace gm::dnn {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kind_name(LayerKind k) {
  return k == LayerKind::kConv ? "conv" : k == LayerKind::kFc ? "fc" : "maxpool";
}

std::string shape_text(int64_t c, int64_t h, int64_t w) {
  std::ostringstream os;  // (not operator+ chains: GCC 12 warns falsely about them, -Wrestrict)
  os << "[" << c << ", " << h << ", " << w << "]";
  return os.str();
}

// Where a problem is: "model file 'F': layer 2 (maxpool): 'size'" and the like.
struct Where {
  std::string origin;
  std::string layer;  // "" at the top level, else "layer 2 (maxpool)"
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw DataError("model file '" + origin + "': " + (layer.empty() ? "" : layer + ": ") + "'" + field + "' " + what);
  }
};

// Integer fields: a JSON integer (not a float, not a string) inside [lo, hi].
int64_t as_int(const json& v, const Where& at, const std::string& field, int64_t lo, int64_t hi) {
  const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
  if (!v.is_number_integer()) at.fail(field, "must be an integer in " + range + ", found " + std::string(v.type_name()));
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi))
    at.fail(field, "must be in " + range + ", found " + v.dump());
  const int64_t x = v.get<int64_t>();
  if (x < lo || x > hi) at.fail(field, "must be in " + range + ", found " + std::to_string(x));
  return x;
}

const json& need(const json& obj, const Where& at, const std::string& field) {
  if (!obj.contains(field)) at.fail(field, "is missing");
  return obj.at(field);
}

int64_t int_field(const json& obj, const Where& at, const std::string& field, int64_t lo, int64_t hi) {
  return as_int(need(obj, at, field), at, field, lo, hi);
}

// An array of integers in [lo, hi] with exactly `count` entries (count < 0: any length).
std::vector<int64_t> int_values(const json& v, const Where& at, const std::string& field, int64_t lo, int64_t hi,
                                int64_t count) {
  if (!v.is_array()) at.fail(field, "must be an array, found " + std::string(v.type_name()));
  if (count >= 0 && static_cast<int64_t>(v.size()) != count)
    at.fail(field, "must have " + std::to_string(count) + " entries, found " + std::to_string(v.size()));
  std::vector<int64_t> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) out.push_back(as_int(v[i], at, field + "[" + std::to_string(i) + "]", lo, hi));
  return out;
}

std::vector<int64_t> int_array(const json& obj, const Where& at, const std::string& field, int64_t lo, int64_t hi,
                               int64_t count) {
  return int_values(need(obj, at, field), at, field, lo, hi, count);
}

double number_field(const json& obj, const Where& at, const std::string& field, double fallback) {
  if (!obj.contains(field)) return fallback;
  if (!obj.at(field).is_number()) at.fail(field, "must be a number, found " + std::string(obj.at(field).type_name()));
  return obj.at(field).get<double>();
}

std::string string_field(const json& obj, const Where& at, const std::string& field, bool required) {
  if (!obj.contains(field)) {
    if (required) at.fail(field, "is missing");
    return "";
  }
  if (!obj.at(field).is_string()) at.fail(field, "must be a string, found " + std::string(obj.at(field).type_name()));
  return obj.at(field).get<std::string>();
}

json layer_json(const Layer& l) {
  json j = {{"type", kind_name(l.kind)}, {"in", {l.in_c, l.in_h, l.in_w}}, {"out", {l.out_c, l.out_h, l.out_w}}};
  if (l.kind == LayerKind::kMaxPool) {
    j["size"] = l.pool;
    return j;
  }
  if (l.kind == LayerKind::kConv) j["kernel"] = l.kernel, j["pad"] = l.pad;
  j["relu"] = l.relu;
  j["out_min"] = l.out_min;
  j["out_max"] = l.out_max;
  j["in_scale"] = l.in_scale;
  j["out_scale"] = l.out_scale;
  j["w_scale"] = l.w_scale;
  // Weights in PyTorch order (out, in, kh, kw) / (out, in): row n of the file is column n of W.
  std::vector<int> wt(l.weights.size());
  const int64_t k = l.k(), n = l.n();
  for (int64_t jn = 0; jn < n; ++jn)
    for (int64_t t = 0; t < k; ++t) wt[jn * k + t] = l.weights[t * n + jn];
  j["weights"] = wt;
  j["bias"] = l.bias;
  std::vector<int64_t> m0;
  std::vector<int> sh;
  for (const auto& q : l.requant) m0.push_back(q.m0), sh.push_back(q.shift);
  j["m0"] = m0;
  j["shift"] = sh;
  return j;
}

// One layer, given the shape its input must have (the previous layer's output). Everything that later
// sizes a buffer or an index is checked here, in an order that never multiplies unchecked numbers.
Layer layer_from_json(const json& j, const Where& at_top, size_t index, int c, int h, int w) {
  Where at{at_top.origin, "layer " + std::to_string(index)};
  if (!j.is_object()) at.fail("layers[" + std::to_string(index) + "]", "must be an object");
  const std::string type = string_field(j, at, "type", true);
  Layer l;
  if (type == "conv") l.kind = LayerKind::kConv;
  else if (type == "fc") l.kind = LayerKind::kFc;
  else if (type == "maxpool") l.kind = LayerKind::kMaxPool;
  else at.fail("type", "is '" + type + "'; known layer types are conv, fc and maxpool");
  at.layer += " (" + type + ")";

  const auto in = int_array(j, at, "in", 1, kMaxDim, 3);
  if (in[0] != c || in[1] != h || in[2] != w)
    at.fail("in", "is " + shape_text(in[0], in[1], in[2]) + " but the " + (index ? "previous layer's output" : "input shape") +
                      " is " + shape_text(c, h, w));
  l.in_c = c, l.in_h = h, l.in_w = w;
  const auto out = int_array(j, at, "out", 1, kMaxDim, 3);
  l.out_c = static_cast<int>(out[0]), l.out_h = static_cast<int>(out[1]), l.out_w = static_cast<int>(out[2]);

  // The output shape this layer computes from its input and parameters.
  int64_t want_c = l.out_c, want_h = 1, want_w = 1;
  if (l.kind == LayerKind::kMaxPool) {
    l.pool = static_cast<int>(int_field(j, at, "size", 1, std::min(h, w)));
    want_c = c, want_h = h / l.pool, want_w = w / l.pool;
  } else if (l.kind == LayerKind::kConv) {
    l.pad = static_cast<int>(int_field(j, at, "pad", 0, 64));
    l.kernel = static_cast<int>(int_field(j, at, "kernel", 1, std::min(h, w) + 2 * l.pad));
    want_h = h + 2 * l.pad - l.kernel + 1, want_w = w + 2 * l.pad - l.kernel + 1;
  }
  if (l.out_c != want_c || l.out_h != want_h || l.out_w != want_w)
    at.fail("out", "is " + shape_text(l.out_c, l.out_h, l.out_w) + " but the layer computes " +
                       shape_text(want_c, want_h, want_w) + " from its input " + shape_text(c, h, w));
  if (l.out_size() > kMaxActivations)
    at.fail("out", "has " + std::to_string(l.out_size()) + " values per image; at most " + std::to_string(kMaxActivations));
  if (!l.is_gemm()) return l;

  if (l.k() * l.n() > kMaxWeights)
    at.fail("weights", "would need " + std::to_string(l.k() * l.n()) + " weights; at most " + std::to_string(kMaxWeights));
  if (l.rows_per_image() * l.k() > kMaxActivations)
    at.fail(l.kind == LayerKind::kConv ? "kernel" : "in", "makes " + std::to_string(l.rows_per_image() * l.k()) +
                                                            " GEMM inputs per image; at most " + std::to_string(kMaxActivations));
  if (l.macs_per_image() > kMaxMacsPerLayer)
    at.fail("out", "makes " + std::to_string(l.macs_per_image()) + " MACs per image; at most " + std::to_string(kMaxMacsPerLayer));
  if (!need(j, at, "relu").is_boolean()) at.fail("relu", "must be true or false");
  l.relu = j.at("relu").get<bool>();
  l.out_min = static_cast<int32_t>(int_field(j, at, "out_min", INT32_MIN, INT32_MAX));
  l.out_max = static_cast<int32_t>(int_field(j, at, "out_max", l.out_min, INT32_MAX));
  l.in_scale = number_field(j, at, "in_scale", 0.0);
  l.out_scale = number_field(j, at, "out_scale", 0.0);
  if (j.contains("w_scale")) {
    const json& ws = j.at("w_scale");
    if (!ws.is_array()) at.fail("w_scale", "must be an array of numbers");
    for (size_t i = 0; i < ws.size(); ++i) {
      if (!ws[i].is_number()) at.fail("w_scale[" + std::to_string(i) + "]", "must be a number");
      l.w_scale.push_back(ws[i].get<double>());
    }
  }
  const int64_t k = l.k(), n = l.n();
  const auto wt = int_array(j, at, "weights", -128, 127, k * n);  // int8
  l.weights.resize(wt.size());
  for (int64_t jn = 0; jn < n; ++jn)
    for (int64_t t = 0; t < k; ++t) l.weights[t * n + jn] = static_cast<int8_t>(wt[jn * k + t]);
  for (const int64_t b : int_array(j, at, "bias", INT32_MIN, INT32_MAX, n)) l.bias.push_back(static_cast<int32_t>(b));
  const auto m0 = int_array(j, at, "m0", 0, INT32_MAX, n);
  const auto sh = int_array(j, at, "shift", 1, 62, n);
  for (int64_t i = 0; i < n; ++i) l.requant.push_back({static_cast<int32_t>(m0[i]), static_cast<int>(sh[i])});
  return l;
}

}  // namespace

void Network::validate(const std::string& origin) const {
  // The same rules as the reader (which checks a file field by field): a network built in memory, by
  // greenmac-train, is checked by writing it out and reading it back.
  parse_network(network_to_json(*this), origin);
}

void check_fits_data(const Network& net, int channels, int rows, int cols, const std::vector<uint8_t>& labels) {
  const std::string at = "model file '" + net.source + "': ";
  if (net.in_c != channels || net.in_h != rows || net.in_w != cols)
    throw DataError(at + "'input.shape' is " + shape_text(net.in_c, net.in_h, net.in_w) + " but the test images are " +
                    shape_text(channels, rows, cols));
  int top = -1;
  for (const uint8_t y : labels) top = std::max(top, int{y});
  if (top >= net.classes())
    throw DataError(at + "layer " + std::to_string(net.layers.size() - 1) + " (fc): 'out' gives " +
                    std::to_string(net.classes()) + " classes but the test labels go up to " + std::to_string(top));
}

std::string network_to_json(const Network& net) {
  json j = {{"format", "greenmac-qnn-1"},
            {"name", net.name},
            {"input", {{"shape", {net.in_c, net.in_h, net.in_w}},
                       {"mapping", "x = floor((254 p + 255) / 510), p the pixel 0..255; real value x / 127"}}},
            {"float_accuracy", net.float_accuracy},
            {"float_images", net.float_images},
            {"macs_per_image", net.macs_per_image()},
            {"training", net.training},
            {"calibration", net.calibration}};
  json layers = json::array();
  for (const auto& l : net.layers) layers.push_back(layer_json(l));
  j["layers"] = layers;
  j["reference_logits"] = net.reference_logits;
  // One layer per line keeps the file diffable without making it huge.
  std::ostringstream os;
  os << "{\n";
  bool first = true;
  for (const auto& [key, val] : j.items()) {
    if (!first) os << ",\n";
    first = false;
    if (key == "layers" || key == "reference_logits") {
      os << "  " << json(key).dump() << ": [\n";
      for (size_t i = 0; i < val.size(); ++i) os << "    " << val[i].dump() << (i + 1 < val.size() ? ",\n" : "\n");
      os << "  ]";
    } else {
      os << "  " << json(key).dump() << ": " << val.dump();
    }
  }
  os << "\n}\n";
  return os.str();
}

Network parse_network(const std::string& text, const std::string& origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    std::string msg = e.what();
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
    throw DataError("model file '" + origin + "' is malformed: not valid JSON: " + msg);
  }
  const Where at{origin, ""};
  if (!j.is_object() || !j.contains("format") || j.at("format") != "greenmac-qnn-1")
    throw DataError("model file '" + origin + "' is malformed: not a greenmac-qnn-1 model ('format' must be \"greenmac-qnn-1\")");
  Network net;
  net.source = origin;
  net.name = string_field(j, at, "name", true);
  const json& input = need(j, at, "input");
  if (!input.is_object()) at.fail("input", "must be an object with a 'shape'");
  if (!input.contains("shape")) at.fail("input.shape", "is missing");
  const auto shape = int_values(input.at("shape"), at, "input.shape", 1, kMaxDim, 3);
  net.in_c = static_cast<int>(shape[0]), net.in_h = static_cast<int>(shape[1]), net.in_w = static_cast<int>(shape[2]);
  if (net.in_c * int64_t{net.in_h} * net.in_w > kMaxActivations) at.fail("input.shape", "is too large");
  net.float_accuracy = number_field(j, at, "float_accuracy", 0.0);
  if (j.contains("float_images")) net.float_images = as_int(j.at("float_images"), at, "float_images", 0, INT64_MAX);
  net.training = string_field(j, at, "training", false);
  net.calibration = string_field(j, at, "calibration", false);

  const json& layers = need(j, at, "layers");
  if (!layers.is_array() || layers.empty()) at.fail("layers", "must be a non-empty array of layers");
  if (layers.size() > kMaxLayers) at.fail("layers", "has more than " + std::to_string(kMaxLayers) + " layers");
  int c = net.in_c, h = net.in_h, w = net.in_w;
  for (size_t i = 0; i < layers.size(); ++i) {
    net.layers.push_back(layer_from_json(layers[i], at, i, c, h, w));
    const Layer& l = net.layers.back();
    c = l.out_c, h = l.out_h, w = l.out_w;
  }
  // Every layer but the last feeds int8 activations to the next (the GEMM casts them to int8).
  for (size_t i = 0; i + 1 < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const Where lat{origin, "layer " + std::to_string(i) + " (" + kind_name(l.kind) + ")"};
    if (l.is_gemm() && l.out_min < -128) lat.fail("out_min", "of a hidden layer must be in -128..127 (int8 outputs)");
    if (l.is_gemm() && l.out_max > 127) lat.fail("out_max", "of a hidden layer must be in -128..127 (int8 outputs)");
  }
  const Layer& last = net.layers.back();
  if (last.kind != LayerKind::kFc)
    Where{origin, "layer " + std::to_string(net.layers.size() - 1) + " (" + kind_name(last.kind) + ")"}.fail(
        "type", "must be fc: the last layer gives the class scores");
  if (net.macs_per_image() > kMaxMacsPerLayer) at.fail("layers", "make too many MACs per image");

  if (j.contains("reference_logits")) {
    const json& ref = j.at("reference_logits");
    if (!ref.is_array()) at.fail("reference_logits", "must be an array of arrays of numbers");
    for (size_t i = 0; i < ref.size(); ++i) {
      const std::string f = "reference_logits[" + std::to_string(i) + "]";
      if (!ref[i].is_array() || static_cast<int>(ref[i].size()) != net.classes())
        at.fail(f, "must be an array of " + std::to_string(net.classes()) + " numbers (one per class)");
      std::vector<float> row;
      for (const auto& v : ref[i]) {
        if (!v.is_number()) at.fail(f, "must hold numbers only");
        row.push_back(v.get<float>());
      }
      net.reference_logits.push_back(std::move(row));
    }
  }
  return net;
}

Network load_network(const fs::path& path) {
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    throw DataError("model file '" + path.string() + "' is not a regular file; give --model cnn, mlp or a model file "
                    "written by `greenmac train`");
  if (!fs::is_regular_file(path, ec))
    throw DataError("model file '" + path.string() + "' does not exist; give --model cnn, mlp or a model file written by "
                    "`greenmac train`");
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxModelFileBytes)
    throw DataError("model file '" + path.string() + "' is larger than " + std::to_string(kMaxModelFileBytes >> 20) +
                    " MiB; it cannot be a greenmac-qnn-1 model");
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  if (!f) throw DataError("cannot read model file '" + path.string() + "'");
  return parse_network(ss.str(), path.string());
}

}  // namespace gm::dnn
