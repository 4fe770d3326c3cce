/* TFLM_DECODE, TFLM's tensor decompression: one output per (encoded, ancillary) input pair. The case holds the
 * encoded data as "input0", the ancillary tensor (16-byte DCM header, then tables) as "input1", the output as
 * "output". Decoders: LUT (type 0), Huffman (1), Prune (2), written from the format, not from minnow's Java. */
#include "kernels.h"
#include <string.h>

static unsigned byte_at(const mc_tensor *t, size_t i) { return i < t->bytes ? t->data[i] : 0; }

/* channel count, whether channels alternate along the last axis, elements per channel */
static const char *layout(const mc_tensor *out, long n, long *channels, int *alt, long *per) {
    *channels = 1;
    *alt = 0;
    if (out->nscale > 0 && out->nzp > 0) {
        *channels = out->nscale;
        if (out->quantized_dimension == out->rank - 1 && *channels > 1) *alt = 1;
        else if (out->quantized_dimension != 0) return "unsupported quantization axis";
    }
    *per = *alt ? 1 : n / *channels;
    return NULL;
}

static long zero_point(const mc_tensor *out, long c) {
    if (out->nzp == 0) return 0;
    return out->nzp == out->nscale ? out->zero_points[c] : out->zero_points[0];
}

static const char *lut(const mc_tensor *enc, const mc_tensor *anc, mc_tensor *out) {
    long n = mc_elements(out), channels, per;
    int alt;
    const char *e = layout(out, n, &channels, &alt, &per);
    if (e) return e;
    if (n % channels) return "channels do not divide the elements";
    unsigned width = anc->data[5] & 7, stride = anc->data[6];
    if (width == 0) return "index bit width 0";
    size_t size = mc_type_size(out->type);
    size_t entries = (anc->bytes - 16) / size;
    if (enc->bytes < ((size_t) n * width + 7) / 8) return "encoded input too short";
    for (long k = 0; k < n; k++) {
        unsigned index = 0;
        for (unsigned b = 0; b < width; b++) {
            size_t bit = (size_t) k * width + b;
            index = index << 1 | ((enc->data[bit >> 3] >> (7 - (bit & 7))) & 1);
        }
        long channel = alt ? k % channels : k / per;
        size_t entry = (size_t) channel * stride + index;
        if (entry >= entries) return "value table too short";
        memcpy(out->data + (size_t) k * size, anc->data + 16 + entry * size, size);
    }
    return NULL;
}

static const char *prune(const mc_tensor *enc, const mc_tensor *anc, mc_tensor *out) {
    long n = mc_elements(out), channels, per;
    int alt;
    const char *e = layout(out, n, &channels, &alt, &per);
    if (e) return e;
    int nonzero = 0;
    if (out->nscale > 0 && out->nzp > 0)
        for (long c = 0; c < channels; c++) if ((int) zero_point(out, c) != 0) nonzero = 1;
    if (nonzero && out->type != MC_INT8) return "All zero-points must be zero";
    int per_channel = channels > 1 && nonzero;
    if (per_channel && n % channels) return "channels do not divide the elements";
    size_t size = mc_type_size(out->type), values = (anc->bytes - 16) / size, next = 0;
    if (enc->bytes < ((size_t) n + 7) / 8) return "encoded input too short";
    for (long k = 0; k < n; k++) {
        unsigned char *dst = out->data + (size_t) k * size;
        if ((enc->data[k >> 3] >> (7 - (k & 7))) & 1) {
            if (next >= values) return "too few kept values";
            memcpy(dst, anc->data + 16 + next++ * size, size);
        } else {
            memset(dst, 0, size);
            long channel = per_channel ? (alt ? k % channels : k / per) : 0;
            dst[0] = (unsigned char) (signed char) zero_point(out, channel);
        }
    }
    return NULL;
}

/* the bit stream: bytes in order, most significant bit first */
static unsigned bits_at(const mc_tensor *enc, size_t pos, unsigned n) {
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++, pos++) v = v << 1 | ((byte_at(enc, pos >> 3) >> (7 - (pos & 7))) & 1);
    return v;
}

static const char *huffman(const mc_tensor *enc, const mc_tensor *anc, mc_tensor *out) {
    long n = mc_elements(out);
    int wide = anc->data[5] & 1;
    unsigned initial = (anc->data[5] >> 4) + 1;
    if (!wide && out->type != MC_INT8) return "16-bit tables decode int8 only";
    if (out->type != MC_INT8 && out->type != MC_INT16) return "unsupported tensor type";
    size_t esize = wide ? 4 : 2, entries = (anc->bytes - 16) / esize, pos = 0;
    uint32_t found = wide ? 0x80000000u : 0x8000u, vmask = wide ? 0x07FFFFFFu : 0x07FFu;
    unsigned shift = wide ? 27 : 11;
    for (long k = 0; k < n; k++) {
        unsigned used = initial;
        size_t at = bits_at(enc, pos, used);
        pos += used;
        uint32_t v;
        for (;;) {
            if (at >= entries) return "table entry out of range";
            const unsigned char *p = anc->data + 16 + at * esize;
            v = p[0] | (uint32_t) p[1] << 8;
            if (wide) v |= (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
            if (v & found) break;
            used = ((v >> shift) & 0xF) + 1;
            at += (v & vmask) + bits_at(enc, pos, used);
            pos += used;
        }
        unsigned code_bits = (v >> shift) & 0xF;
        if (used > code_bits) pos -= used - code_bits;
        if (out->type == MC_INT8) out->data[k] = (unsigned char) v;
        else { out->data[2 * k] = (unsigned char) v; out->data[2 * k + 1] = (unsigned char) (v >> 8); }
    }
    if (n > 0 && pos > enc->bytes * 8) return "code stream too short";
    return NULL;
}

int mc_run_decode(mc_case *c, const char **error) {
    if (strcmp(c->op, "TFLM_DECODE")) return 0;
    mc_tensor *enc = mc_tensor_named(c, "input0"), *anc = mc_tensor_named(c, "input1"), *out = mc_tensor_named(c, "output");
    if (!enc || !anc || !out) { *error = "TFLM_DECODE needs input0, input1 and output"; return 1; }
    if (anc->bytes < 16) { *error = "ancillary tensor shorter than the DCM header"; return 1; }
    if (anc->data[1] != 1 || anc->data[4] != 1) { *error = "unsupported version"; return 1; }
    switch (anc->data[0]) {
        case 0: *error = lut(enc, anc, out); break;
        case 1: *error = huffman(enc, anc, out); break;
        case 2: *error = prune(enc, anc, out); break;
        default: *error = "unsupported decode type";
    }
    return 1;
}
