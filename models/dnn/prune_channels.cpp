#include "models/dnn/prune_channels.hpp"

#include <algorithm>

namespace gm::dnn {
namespace {

// Keeps the columns `keep` of a K x N row-major matrix.
std::vector<int8_t> keep_columns(const std::vector<int8_t>& w, int64_t k, int64_t n, const std::vector<int>& keep) {
  std::vector<int8_t> out;
  out.reserve(k * keep.size());
  for (int64_t r = 0; r < k; ++r)
    for (const int j : keep) out.push_back(w[r * n + j]);
  return out;
}

template <typename T>
std::vector<T> keep_entries(const std::vector<T>& v, const std::vector<int>& keep) {
  std::vector<T> out;
  for (const int j : keep) out.push_back(v[j]);
  return out;
}

// Keeps the input channels `keep` of a conv/fc layer: its weight rows come in blocks of one input
// channel (kernel x kernel taps for a conv, H x W positions for an fc after the flatten).
void keep_input_channels(Layer& l, const std::vector<int>& keep) {
  const int64_t block = l.kind == LayerKind::kConv ? int64_t{l.kernel} * l.kernel : int64_t{l.in_h} * l.in_w;
  const int64_t n = l.n();
  std::vector<int8_t> w;
  w.reserve(keep.size() * block * n);
  for (const int c : keep) w.insert(w.end(), l.weights.begin() + c * block * n, l.weights.begin() + (c + 1) * block * n);
  l.weights = std::move(w);
  l.in_c = static_cast<int>(keep.size());
}

}  // namespace

std::vector<int> dead_channels(const Network& net, size_t index) {
  const Layer& l = net.layers.at(index);
  const int64_t k = l.k(), n = l.n();
  std::vector<int> dead;
  for (int64_t j = 0; j < n; ++j) {
    bool zero = l.bias[j] == 0;
    for (int64_t r = 0; zero && r < k; ++r) zero = l.weights[r * n + j] == 0;
    if (zero) dead.push_back(static_cast<int>(j));
  }
  return dead;
}

int drop_dead_channels(Network& net) {
  int dropped = 0;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    Layer& l = net.layers[i];
    size_t next = i + 1;
    while (next < net.layers.size() && !net.layers[next].is_gemm()) ++next;
    if (!l.is_gemm() || next == net.layers.size()) continue;  // the class scores keep every class
    std::vector<int> dead = dead_channels(net, i);
    if (dead.size() == static_cast<size_t>(l.out_c)) dead.pop_back();  // keep one channel
    if (dead.empty()) continue;
    std::vector<int> keep;
    for (int j = 0; j < l.out_c; ++j)
      if (!std::binary_search(dead.begin(), dead.end(), j)) keep.push_back(j);
    l.weights = keep_columns(l.weights, l.k(), l.n(), keep);
    l.bias = keep_entries(l.bias, keep);
    l.requant = keep_entries(l.requant, keep);
    if (!l.w_scale.empty()) l.w_scale = keep_entries(l.w_scale, keep);
    l.out_c = static_cast<int>(keep.size());
    for (size_t p = i + 1; p < next; ++p) net.layers[p].in_c = net.layers[p].out_c = l.out_c;  // pooling
    keep_input_channels(net.layers[next], keep);
    dropped += static_cast<int>(dead.size());
  }
  return dropped;
}

}  // namespace gm::dnn
