// A PNG decoder for screenshot tests: 8-bit RGB or RGBA, not interlaced (what Chromium's
// --screenshot writes). The IDAT chunks joined are one zlib stream of scanlines, each led by its
// filter byte (PNG spec, section 9: None, Sub, Up, Average, Paeth), which are undone here.
#pragma once

#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace gm::test {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // 3 bytes per pixel, row by row
  std::array<int, 3> at(int x, int y) const {
    const size_t i = 3 * (static_cast<size_t>(y) * width + x);
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

inline uint32_t png_be32(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8) |
         uint32_t(uint8_t(s[at + 3]));
}

// Throws std::runtime_error for anything else than the formats above.
inline RgbImage decode_png(const std::string& png) {
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) throw std::runtime_error("not a PNG file");
  RgbImage img;
  int color_type = -1;
  std::string idat;
  for (size_t at = 8; at + 12 <= png.size();) {
    const uint32_t len = png_be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (at + 12 + len > png.size()) throw std::runtime_error("truncated PNG chunk " + type);
    const std::string data = png.substr(at + 8, len);
    if (type == "IHDR") {
      img.width = static_cast<int>(png_be32(data, 0));
      img.height = static_cast<int>(png_be32(data, 4));
      color_type = uint8_t(data[9]);
      if (uint8_t(data[8]) != 8 || (color_type != 2 && color_type != 6) || data[12] != 0)
        throw std::runtime_error("PNG format not supported: depth " + std::to_string(uint8_t(data[8])) + ", colour type " +
                                 std::to_string(color_type) + ", interlace " + std::to_string(uint8_t(data[12])));
    } else if (type == "IDAT") {
      idat += data;
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  if (color_type < 0) throw std::runtime_error("PNG without IHDR");
  const size_t bpp = color_type == 6 ? 4 : 3, stride = bpp * img.width;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_size != raw.size())
    throw std::runtime_error("PNG image data does not inflate to its size");
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.rgb.resize(3 * static_cast<size_t>(img.width) * img.height);
  for (int y = 0; y < img.height; ++y) {
    const uint8_t* line = &raw[y * (stride + 1)];
    const uint8_t filter = line[0];
    for (size_t i = 0; i < stride; ++i) {
      const int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      int pred = 0;
      switch (filter) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          break;
        }
        default: throw std::runtime_error("PNG filter type " + std::to_string(filter) + " unknown");
      }
      cur[i] = static_cast<uint8_t>(line[1 + i] + pred);
    }
    for (int x = 0; x < img.width; ++x)
      for (int k = 0; k < 3; ++k) img.rgb[3 * (static_cast<size_t>(y) * img.width + x) + k] = cur[bpp * x + k];
    prev.swap(cur);
  }
  return img;
}

}  // namespace gm::test
