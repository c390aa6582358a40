// The golden quantized DNN: int8 inference in which every product goes through a multiplier model.
//
// The exact arithmetic is defined in docs/quantization.md; this file is its reference implementation
// (the later RTL path runs the same host code with an array GEMM engine). In short, per layer:
//
//     Y    = GEMM(X, W)                 one call per conv layer (im2col) or fc layer, all images batched
//            Y[m][n] = wrap32( sum_k P(X[m][k], W[k][n]) )
//            P(a, b) = the multiplier's product word: a = ACTIVATION, b = WEIGHT (everywhere)
//     acc  = wrap32(Y[m][n] + bias[n])
//     out  = clamp((acc * m0[n] + 2^(shift[n]-1)) >> shift[n], out_min, out_max)   (int64, arithmetic >>)
//
// out_min = 0 folds the ReLU into the saturation; max pooling runs on the int8 outputs. The input
// pixel p (0..255) becomes x = floor((254 p + 255) / 510) = round-half-up(127 p / 255), 0..127.
// The class is the index of the largest final output (the lowest index on ties).
//
// GEMM engines are pluggable (GemmEngine): TableGemm looks every product up in the design's
// ProductTable; the systolic array (tb/dnn_on_rtl) plugs in as a whole-layer engine (gemm_layer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "models/metrics.hpp"
#include "models/product_table.hpp"

namespace gm::dnn {

// ---- the requantization arithmetic (docs/quantization.md) -------------------------------------

// y = (acc * m0 + 2^(shift-1)) >> shift, i.e. acc * m0 / 2^shift rounded half up (towards +inf).
// m0 in [2^30, 2^31) except when the real multiplier is tiny (shift capped at 62); 1 <= shift <= 62.
struct Requant {
  int32_t m0 = 1 << 30;
  int shift = 31;
};

// The fixed-point form of a real multiplier 0 < r < 2^30: m0 = round(f * 2^31), shift = 31 - e
// with r = f * 2^e, 0.5 <= f < 1 (shift capped at 62, m0 then round(r * 2^62)).
Requant make_requant(double r);

// acc * m0 / 2^shift rounded half up, before saturation (exact in int64: |acc * m0| < 2^62).
inline int64_t requantize(int32_t acc, Requant q) {
  return (static_cast<int64_t>(acc) * q.m0 + (int64_t{1} << (q.shift - 1))) >> q.shift;
}
inline int32_t saturate(int64_t v, int32_t lo, int32_t hi) {
  return static_cast<int32_t>(v < lo ? lo : v > hi ? hi : v);
}
// Two's-complement wrap-around addition of int32 accumulators.
inline int32_t add_wrap(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// The input mapping: pixel 0..255 -> int8 0..127, round-half-up(127 p / 255); real value x / 127.
inline int8_t quantize_pixel(uint8_t p) { return static_cast<int8_t>((254 * int{p} + 255) / 510); }
inline constexpr double kInputScale = 1.0 / 127.0;

// Symmetric int8 quantization of a real value with scale s: clamp(round-half-away(v / s), -127, 127).
int8_t quantize_weight(double v, double s);

// ---- the network ----------------------------------------------------------------------------------

enum class LayerKind { kConv, kFc, kMaxPool };

// One layer. Shapes are (channels, height, width); an fc layer's input is the flattened (C, H, W)
// tensor in that order (PyTorch's flatten), its output (out, 1, 1).
struct Layer {
  LayerKind kind = LayerKind::kConv;
  int in_c = 0, in_h = 0, in_w = 0;
  int out_c = 0, out_h = 0, out_w = 0;
  int kernel = 0, pad = 0;  // conv (stride 1); square kernel
  int pool = 0;             // maxpool: size = stride; floor for odd sizes
  bool relu = false;
  int32_t out_min = -128, out_max = 127;
  // GEMM operands: weights K x N row-major, K = in_c*kernel*kernel (conv, index (ci*kh + ky)*kw + kx)
  // or the flattened input size (fc), N = out_c.
  std::vector<int8_t> weights;
  std::vector<int32_t> bias;     // N, in units of in_scale * w_scale[n]
  std::vector<Requant> requant;  // N
  // Scales (informational; the integer fields above are the definition).
  double in_scale = 0, out_scale = 0;
  std::vector<double> w_scale;

  bool is_gemm() const { return kind != LayerKind::kMaxPool; }
  int64_t k() const { return kind == LayerKind::kConv ? int64_t{in_c} * kernel * kernel : int64_t{in_c} * in_h * in_w; }
  int64_t n() const { return out_c; }
  int64_t rows_per_image() const { return kind == LayerKind::kConv ? int64_t{out_h} * out_w : 1; }  // GEMM M per image
  int64_t macs_per_image() const { return is_gemm() ? rows_per_image() * k() * n() : 0; }
  int64_t in_size() const { return int64_t{in_c} * in_h * in_w; }
  int64_t out_size() const { return int64_t{out_c} * out_h * out_w; }
  std::string describe() const;  // "conv 1->16 3x3 pad 1, 28x28 -> 28x28, relu"
};

struct Network {
  std::string name;  // "cnn", "mlp"
  std::string source;
  int in_c = 1, in_h = 28, in_w = 28;
  std::vector<Layer> layers;
  int classes() const { return layers.empty() ? 0 : layers.back().out_c; }
  int64_t macs_per_image() const;
  // Measured by greenmac-train with the float model on the test set.
  double float_accuracy = 0;
  int64_t float_images = 0;
  // Float logits of the first test images (for tests without libtorch).
  std::vector<std::vector<float>> reference_logits;
  std::string training;     // how it was trained (free text)
  std::string calibration;  // how the scales were calibrated (free text)
  // Checks it by the same rules as a model file; throws DataError naming `origin`.
  void validate(const std::string& origin) const;
};

// Limits of a model file: beyond them a file is refused before anything is allocated.
inline constexpr int64_t kMaxDim = 4096;                   // any C, H or W
inline constexpr int64_t kMaxActivations = int64_t{1} << 22;  // values per image after one layer or in im2col
inline constexpr int64_t kMaxWeights = int64_t{1} << 26;      // weights of one layer
inline constexpr int64_t kMaxMacsPerLayer = int64_t{1} << 30;  // MACs per image (one layer, and the network)
inline constexpr size_t kMaxLayers = 256;
inline constexpr uintmax_t kMaxModelFileBytes = uintmax_t{1} << 30;

// The model file (JSON, docs/dnn.md). Throws DataError, one line naming the layer (index and kind)
// and the field, for a missing or malformed file: every field is checked for presence, JSON type and
// range (int8 weights, int32 bias, m0 0..2^31-1, shift 1..62, hidden outputs inside int8), the shapes
// chain from the input through every layer (conv/maxpool outputs computed from kernel, pad and size),
// weight, bias, m0 and shift counts match, and the last layer is fc. See models/dnn_file.cpp.
Network load_network(const std::filesystem::path& path);
Network parse_network(const std::string& text, const std::string& origin);
std::string network_to_json(const Network& net);

// Checks that the network can run on a data set of channels x rows x cols images with these labels
// (its input shape equals the images', and it has a class score for every label). Throws DataError.
void check_fits_data(const Network& net, int channels, int rows, int cols, const std::vector<uint8_t>& labels);

// ---- GEMM engines ----------------------------------------------------------------------------------

// Y = X * W through some multiplier: X is m x k row-major (activations: the multiplier's a operand),
// W is k x n row-major (weights: the b operand), Y is m x n row-major and must hold
//     Y[i][j] = wrap32( sum_t P(X[i][t], W[t][j]) )
// for the engine's multiplier P (summation order is free: the sum wraps). m covers every image of the
// batch (images x output positions), so one call is one whole layer for many images.
//
// gemm_layer is one whole conv or fc layer: its GEMM and its output stage (bias, requantization,
// clamp), giving the layer's int8 (or score) outputs out[i][j], m x n row-major, for X and the
// layer's weights. The default runs gemm() and then the output stage on the host
// (host_output_stage: the golden path); an engine whose hardware has the output stage (the array
// with --requant, tb/dnn_on_rtl) overrides it so that the layer's outputs leave the hardware.
class GemmEngine {
 public:
  virtual ~GemmEngine() = default;
  virtual void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) = 0;
  virtual void gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& layer, int32_t* out);
};

// The output stage of `layer` on Y = its GEMM's sums (m x n, row-major), in place:
// clamp(requantize(wrap32(Y[i][j] + bias[j]), requant[j]), out_min, out_max).
void host_output_stage(const Layer& layer, int64_t m, int32_t* y);

// The operand pairs one engine multiplied: a full histogram (count of each (a, b) pattern pair,
// index (a_bits << 8) | b_bits) and a sampled stream of whole dot products in order.
struct OperandTrace {
  std::vector<uint64_t> histogram = std::vector<uint64_t>(1 << 16, 0);
  std::vector<std::pair<int8_t, int8_t>> stream;
  uint64_t stream_limit = 100000;
  uint64_t stride = 1;       // every stride-th output element (global row-major order) is sampled
  uint64_t next_output = 0;  // global output counter
  void set_expected_macs(uint64_t total_macs);  // stride = max(1, total / stream_limit)
  // "a b weight" lines (metrics --dist format), only non-zero counts; "a b 1" lines for the stream.
  std::string histogram_text(const std::string& header) const;
  std::string stream_text(const std::string& header) const;
  // The same pairs in memory, as histogram_text / stream_text would read back through
  // parse_distribution (same entries, order and probabilities); `origin` names them in messages.
  Distribution histogram_distribution(const std::string& origin) const;
  Distribution stream_distribution(const std::string& origin) const;
  uint64_t histogram_total() const;  // products counted: the sum of the histogram
};

// The narrowest multiplier a DNN layer may use (lower precision, models/dnn/operand_fit.hpp).
inline constexpr int kMinDnnWidth = 4;

// The golden engine: every product looked up in a signed product table of 4 to 8 bits. A narrower
// table (a lower-precision layer, docs/levers.md) is lifted to int8 operands: the operand's low w
// bits enter the multiplier; every call first checks that its operands fit in w bits (UserError
// otherwise), so a model quantized wider than its multiplier is refused, not wrapped.
class TableGemm : public GemmEngine {
 public:
  // The table must be signed, 4 <= w <= 8 (throws std::invalid_argument otherwise). threads:
  // worker threads (0: hardware concurrency). trace: optional, filled by every call (one thread).
  explicit TableGemm(const ProductTable& table, int threads = 0, OperandTrace* trace = nullptr);
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override;
  uint64_t macs() const { return macs_; }

 private:
  void rows(const int8_t* x, int64_t r0, int64_t r1, int64_t k, const uint8_t* wb, int64_t n, int32_t* y) const;
  void traced(const int8_t* x, int64_t m, int64_t k, const uint8_t* wb, int64_t n, int32_t* y);
  void check_narrow_operands(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n) const;
  std::unique_ptr<ProductTable> lifted_;  // the 8-bit form of a narrower table
  const ProductTable& table_;             // the 8-bit table every lookup uses
  int narrow_width_;                      // the multiplier's own width
  int threads_;
  OperandTrace* trace_;
  bool zero_row_ = false;  // P(0, b) == 0 for every b: zero activations may be skipped
  uint64_t macs_ = 0;
};

// ---- inference ----------------------------------------------------------------------------------

// Runs the network on `count` images (28x28 pixels each, 0..255) in batches of `batch` images per
// GEMM; returns count x classes final outputs (int32, the last layer's saturated requantized values).
std::vector<int32_t> run_network(const Network& net, const uint8_t* pixels, size_t count, GemmEngine& engine,
                                 size_t batch = 256);

// One layer on a batch (exposed for tests): input int8 activations of `images` images, (C, H, W) each.
// Conv and fc layers make exactly one engine.gemm_layer call (by default one engine.gemm call).
std::vector<int32_t> run_layer(const Layer& layer, const std::vector<int32_t>& in, size_t images, GemmEngine& engine);

// im2col of one conv layer: rows (image, oy, ox), columns (ci, ky, kx); padding taps are activation 0
// and are multiplied like any other tap.
std::vector<int8_t> im2col(const Layer& layer, const std::vector<int32_t>& in, size_t images);

int argmax(const int32_t* v, int n);  // lowest index on ties

// Top-1 accuracy of count x classes outputs against labels.
double accuracy(const std::vector<int32_t>& outputs, int classes, const uint8_t* labels, size_t count);

// Checks that a spec can run the DNN: signed, 4 to 8 bits (a narrower one only on layers whose
// operands fit: models/dnn/operand_fit.hpp). Throws SpecError otherwise.
void check_dnn_spec(const Spec& spec);

}  // namespace gm::dnn
