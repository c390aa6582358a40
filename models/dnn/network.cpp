#include "models/dnn/network.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "models/errors.hpp"

namespace gm::dnn {

// ---- arithmetic ----------------------------------------------------------------------------------

Requant make_requant(double r) {
  if (!(r > 0) || r >= std::ldexp(1.0, 30)) throw std::invalid_argument("requantization multiplier out of range");
  int e = 0;
  const double f = std::frexp(r, &e);  // r = f * 2^e, 0.5 <= f < 1
  int64_t m0 = std::llround(std::ldexp(f, 31));
  if (m0 == (int64_t{1} << 31)) {  // f rounded up to 1.0
    m0 >>= 1;
    ++e;
  }
  Requant q;
  q.shift = 31 - e;
  if (q.shift > 62) {
    q.shift = 62;
    m0 = std::llround(std::ldexp(r, 62));
  }
  q.m0 = static_cast<int32_t>(m0);
  return q;
}

int8_t quantize_weight(double v, double s) {
  const double q = std::round(v / s);  // half away from zero
  return static_cast<int8_t>(std::clamp(q, -127.0, 127.0));
}

// ---- network description --------------------------------------------------------------------------

std::string Layer::describe() const {
  std::ostringstream os;
  auto shape = [](int c, int h, int w) { return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w); };
  switch (kind) {
    case LayerKind::kConv:
      os << "conv " << in_c << "->" << out_c << " " << kernel << "x" << kernel << " pad " << pad << ", "
         << shape(in_c, in_h, in_w) << " -> " << shape(out_c, out_h, out_w);
      break;
    case LayerKind::kFc:
      os << "fc " << in_size() << "->" << out_c;
      break;
    case LayerKind::kMaxPool:
      os << "maxpool " << pool << "x" << pool << ", " << shape(in_c, in_h, in_w) << " -> " << shape(out_c, out_h, out_w);
      break;
  }
  if (relu) os << ", relu";
  if (is_gemm()) os << ", out " << out_min << ".." << out_max << ", " << macs_per_image() << " MACs";
  return os.str();
}

int64_t Network::macs_per_image() const {
  int64_t s = 0;
  for (const auto& l : layers) s += l.macs_per_image();
  return s;
}

// ---- trace -------------------------------------------------------------------------------------------

void OperandTrace::set_expected_macs(uint64_t total_macs) {
  stride = std::max<uint64_t>(1, total_macs / std::max<uint64_t>(1, stream_limit));
}

std::string OperandTrace::histogram_text(const std::string& header) const {
  std::ostringstream os;
  os << header;
  for (uint32_t i = 0; i < histogram.size(); ++i)
    if (histogram[i])
      os << int{static_cast<int8_t>(i >> 8)} << " " << int{static_cast<int8_t>(i & 0xff)} << " " << histogram[i] << "\n";
  return os.str();
}

std::string OperandTrace::stream_text(const std::string& header) const {
  std::string s = header;
  s.reserve(s.size() + stream.size() * 10);
  for (const auto& [a, b] : stream) s += std::to_string(a) + " " + std::to_string(b) + " 1\n";
  return s;
}

Distribution OperandTrace::histogram_distribution(const std::string& origin) const {
  std::vector<Distribution::Entry> pairs;
  for (uint32_t i = 0; i < histogram.size(); ++i)
    if (histogram[i])
      pairs.push_back({static_cast<int8_t>(i >> 8), static_cast<int8_t>(i & 0xff), static_cast<double>(histogram[i]),
                       static_cast<int>(pairs.size() + 1)});
  return normalised_distribution(std::move(pairs), origin);
}

Distribution OperandTrace::stream_distribution(const std::string& origin) const {
  std::vector<Distribution::Entry> pairs;
  pairs.reserve(stream.size());
  for (const auto& [a, b] : stream) pairs.push_back({a, b, 1.0, static_cast<int>(pairs.size() + 1)});
  return normalised_distribution(std::move(pairs), origin);
}

uint64_t OperandTrace::histogram_total() const {
  uint64_t n = 0;
  for (const uint64_t c : histogram) n += c;
  return n;
}

// ---- the golden GEMM ----------------------------------------------------------------------------------

namespace {

// The 8-bit table of a narrower multiplier: the int8 operand's low w bits enter the multiplier, as
// in the array, whose w-bit operand ports take them (check_narrow_operands keeps them in range).
std::unique_ptr<ProductTable> lifted_to_int8(const ProductTable& t) {
  if (t.w() == 8) return nullptr;
  return std::make_unique<ProductTable>(8, true, [&](int64_t a, int64_t b) { return t.value(a, b); });
}

}  // namespace

TableGemm::TableGemm(const ProductTable& table, int threads, OperandTrace* trace)
    : lifted_(table.w() >= kMinDnnWidth && table.w() <= 8 && table.is_signed() ? lifted_to_int8(table) : nullptr),
      table_(lifted_ ? *lifted_ : table),
      narrow_width_(table.w()),
      threads_(threads),
      trace_(trace) {
  if (table_.w() != 8 || !table_.is_signed())
    throw std::invalid_argument("TableGemm needs a signed product table of 4 to 8 bits");
  if (threads_ <= 0) threads_ = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  zero_row_ = true;
  for (uint64_t b = 0; b < 256; ++b) zero_row_ = zero_row_ && table_.at(0, b) == 0;
}

void TableGemm::check_narrow_operands(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n) const {
  if (narrow_width_ == 8) return;
  const int lo = -(1 << (narrow_width_ - 1)), hi = (1 << (narrow_width_ - 1)) - 1;
  auto check = [&](const int8_t* v, int64_t count, const char* what) {
    for (int64_t i = 0; i < count; ++i)
      if (v[i] < lo || v[i] > hi)
        throw UserError("a " + std::to_string(narrow_width_) + "-bit multiplier got the " + what + " " +
                        std::to_string(v[i]) + " (it takes " + std::to_string(lo) + ".." + std::to_string(hi) +
                        "); quantize the model to that width first (greenmac train --finetune, docs/levers.md)");
  };
  check(x, m * k, "activation");
  check(w, k * n, "weight");
}

// Rows r0..r1-1 of Y: for each activation x[i][t], its table row is added across the weight row t.
// Accumulation in uint32 is the int32 two's-complement wrap-around without undefined behaviour.
void TableGemm::rows(const int8_t* x, int64_t r0, int64_t r1, int64_t k, const uint8_t* wb, int64_t n, int32_t* y) const {
  const int32_t* tab = table_.entries().data();
  std::vector<uint32_t> acc(n);
  for (int64_t i = r0; i < r1; ++i) {
    std::fill(acc.begin(), acc.end(), 0u);
    const int8_t* xr = x + i * k;
    for (int64_t t = 0; t < k; ++t) {
      const uint8_t a = static_cast<uint8_t>(xr[t]);
      if (a == 0 && zero_row_) continue;  // P(0, b) = 0 for every b
      const int32_t* row = tab + (uint32_t{a} << 8);
      const uint8_t* wr = wb + t * n;
      for (int64_t j = 0; j < n; ++j) acc[j] += static_cast<uint32_t>(row[wr[j]]);
    }
    for (int64_t j = 0; j < n; ++j) y[i * n + j] = static_cast<int32_t>(acc[j]);
  }
}

void TableGemm::traced(const int8_t* x, int64_t m, int64_t k, const uint8_t* wb, int64_t n, int32_t* y) {
  const int32_t* tab = table_.entries().data();
  OperandTrace& tr = *trace_;
  std::vector<uint32_t> acc(n);
  for (int64_t i = 0; i < m; ++i) {
    std::fill(acc.begin(), acc.end(), 0u);
    const int8_t* xr = x + i * k;
    for (int64_t t = 0; t < k; ++t) {
      const uint32_t base = uint32_t{static_cast<uint8_t>(xr[t])} << 8;
      const uint8_t* wr = wb + t * n;
      for (int64_t j = 0; j < n; ++j) {
        acc[j] += static_cast<uint32_t>(tab[base | wr[j]]);
        ++tr.histogram[base | wr[j]];
      }
    }
    for (int64_t j = 0; j < n; ++j) {
      y[i * n + j] = static_cast<int32_t>(acc[j]);
      if (tr.next_output++ % tr.stride == 0)
        for (int64_t t = 0; t < k && tr.stream.size() < tr.stream_limit; ++t)
          tr.stream.emplace_back(xr[t], static_cast<int8_t>(wb[t * n + j]));
    }
  }
}

void TableGemm::gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) {
  check_narrow_operands(x, m, k, w, n);
  const uint8_t* wb = reinterpret_cast<const uint8_t*>(w);  // operand bit patterns index the table
  macs_ += static_cast<uint64_t>(m * k * n);
  if (trace_) return traced(x, m, k, wb, n, y);
  const int64_t parts = std::min<int64_t>(threads_, std::max<int64_t>(1, m * k * n / 200000));
  if (parts <= 1) return rows(x, 0, m, k, wb, n, y);
  std::vector<std::thread> pool;
  for (int64_t p = 0; p < parts; ++p)
    pool.emplace_back([=, this] { rows(x, m * p / parts, m * (p + 1) / parts, k, wb, n, y); });
  for (auto& t : pool) t.join();
}

// ---- host side of the inference ---------------------------------------------------------------------

std::vector<int8_t> im2col(const Layer& l, const std::vector<int32_t>& in, size_t images) {
  const int64_t k = l.k(), rows = l.rows_per_image();
  std::vector<int8_t> x(images * rows * k, 0);
  for (size_t img = 0; img < images; ++img) {
    const int32_t* src = in.data() + img * l.in_size();
    for (int oy = 0; oy < l.out_h; ++oy)
      for (int ox = 0; ox < l.out_w; ++ox) {
        int8_t* dst = x.data() + (img * rows + oy * l.out_w + ox) * k;
        for (int ci = 0; ci < l.in_c; ++ci)
          for (int ky = 0; ky < l.kernel; ++ky) {
            const int iy = oy + ky - l.pad;
            for (int kx = 0; kx < l.kernel; ++kx) {
              const int ix = ox + kx - l.pad;
              const bool inside = iy >= 0 && iy < l.in_h && ix >= 0 && ix < l.in_w;
              *dst++ = inside ? static_cast<int8_t>(src[(ci * l.in_h + iy) * l.in_w + ix]) : 0;
            }
          }
      }
  }
  return x;
}

namespace {

std::vector<int32_t> maxpool(const Layer& l, const std::vector<int32_t>& in, size_t images) {
  std::vector<int32_t> out(images * l.out_size());
  for (size_t img = 0; img < images; ++img)
    for (int c = 0; c < l.out_c; ++c)
      for (int oy = 0; oy < l.out_h; ++oy)
        for (int ox = 0; ox < l.out_w; ++ox) {
          int32_t best = INT32_MIN;
          for (int dy = 0; dy < l.pool; ++dy)
            for (int dx = 0; dx < l.pool; ++dx)
              best = std::max(best, in[img * l.in_size() + (c * l.in_h + oy * l.pool + dy) * l.in_w + ox * l.pool + dx]);
          out[img * l.out_size() + (c * l.out_h + oy) * l.out_w + ox] = best;
        }
  return out;
}

}  // namespace

std::vector<int32_t> run_layer(const Layer& l, const std::vector<int32_t>& in, size_t images, GemmEngine& engine) {
  if (l.kind == LayerKind::kMaxPool) return maxpool(l, in, images);
  const int64_t m = static_cast<int64_t>(images) * l.rows_per_image(), k = l.k(), n = l.n();
  std::vector<int8_t> x;
  if (l.kind == LayerKind::kConv) {
    x = im2col(l, in, images);
  } else {
    x.resize(in.size());
    for (size_t i = 0; i < in.size(); ++i) x[i] = static_cast<int8_t>(in[i]);
  }
  std::vector<int32_t> y(m * n);
  engine.gemm_layer(x.data(), m, k, l, y.data());
  // Y row (image, position), column channel -> output (image, channel, position).
  const int64_t pos = l.rows_per_image();
  std::vector<int32_t> out(images * l.out_size());
  for (int64_t r = 0; r < m; ++r) {
    const int64_t img = r / pos, p = r % pos;
    for (int64_t j = 0; j < n; ++j) out[(img * n + j) * pos + p] = y[r * n + j];
  }
  return out;
}

void host_output_stage(const Layer& l, int64_t m, int32_t* y) {
  const int64_t n = l.n();
  for (int64_t r = 0; r < m; ++r)
    for (int64_t j = 0; j < n; ++j) {
      const int32_t acc = add_wrap(y[r * n + j], l.bias[j]);
      y[r * n + j] = saturate(requantize(acc, l.requant[j]), l.out_min, l.out_max);
    }
}

void GemmEngine::gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& l, int32_t* out) {
  gemm(x, m, k, l.weights.data(), l.n(), out);
  host_output_stage(l, m, out);
}

std::vector<int32_t> run_network(const Network& net, const uint8_t* pixels, size_t count, GemmEngine& engine, size_t batch) {
  const int64_t in_size = int64_t{net.in_c} * net.in_h * net.in_w;
  const int classes = net.classes();
  std::vector<int32_t> outputs(count * classes);
  batch = std::max<size_t>(1, batch);
  for (size_t first = 0; first < count; first += batch) {
    const size_t images = std::min(batch, count - first);
    std::vector<int32_t> act(images * in_size);
    for (size_t i = 0; i < act.size(); ++i) act[i] = quantize_pixel(pixels[first * in_size + i]);
    for (const auto& l : net.layers) act = run_layer(l, act, images, engine);
    std::copy(act.begin(), act.end(), outputs.begin() + first * classes);
  }
  return outputs;
}

int argmax(const int32_t* v, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (v[i] > v[best]) best = i;
  return best;
}

double accuracy(const std::vector<int32_t>& outputs, int classes, const uint8_t* labels, size_t count) {
  if (count == 0) return 0;
  size_t ok = 0;
  for (size_t i = 0; i < count; ++i) ok += argmax(outputs.data() + i * classes, classes) == labels[i];
  return static_cast<double>(ok) / static_cast<double>(count);
}

void check_dnn_spec(const Spec& spec) {
  if (spec.w < kMinDnnWidth || spec.w > 8 || !spec.is_signed)
    throw SpecError("'" + spec.canonical() + "': the DNN needs a signed multiplier of 4 to 8 bits (int8 activations "
                    "and weights, or narrower ones: docs/levers.md); use s=1 and w=8 (or 4..7), e.g. " + spec.family +
                    ":s=1");
}

}  // namespace gm::dnn
