/* libm-probe: this machine's C library float functions, for checking dev.minnow.math.FloatLibm bit for bit.
 *
 *   libm-probe FUNC              reads little-endian float bit patterns from stdin (two per case for fmodf: x then y)
 *                                and writes each result's bit pattern to stdout
 *   libm-probe FUNC --blocks     the result of every one of the 2^32 float inputs, hashed: for each block of 2^16
 *                                consecutive bit patterns (block b holds b << 16 .. b << 16 | 0xffff) one 64-bit FNV-1a
 *                                hash over the results' bit patterns, low byte first per result, written little-endian
 *
 * FUNC is sinf, cosf, logf, expf, expm1f, tanhf or fmodf (no --blocks). Built with -O0 and called through a volatile
 * function pointer, so every call reaches libm (gcc would otherwise inline or fold some of them). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef float (*unary_fn)(float);

static unary_fn unary(const char *name) {
    if (!strcmp(name, "sinf")) return sinf;
    if (!strcmp(name, "cosf")) return cosf;
    if (!strcmp(name, "logf")) return logf;
    if (!strcmp(name, "expf")) return expf;
    if (!strcmp(name, "expm1f")) return expm1f;
    if (!strcmp(name, "tanhf")) return tanhf;
    return NULL;
}

static float from_bits(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static uint32_t to_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: libm-probe FUNC [--blocks]\n"); return 2; }
    float (*volatile binary)(float, float) = fmodf;
    unary_fn volatile f = unary(argv[1]);
    int is_fmod = !strcmp(argv[1], "fmodf");
    if (!f && !is_fmod) { fprintf(stderr, "libm-probe: unknown function %s\n", argv[1]); return 2; }
    if (argc > 2 && !strcmp(argv[2], "--blocks")) {
        if (is_fmod) { fprintf(stderr, "libm-probe: --blocks takes a one-argument function\n"); return 2; }
        for (uint32_t block = 0; block < 65536; block++) {
            uint64_t h = 1469598103934665603ULL;
            for (uint32_t i = 0; i < 65536; i++) {
                uint32_t r = to_bits(f(from_bits(block << 16 | i)));
                for (int k = 0; k < 4; k++) h = (h ^ ((r >> (8 * k)) & 0xff)) * 1099511628211ULL;
            }
            if (fwrite(&h, 8, 1, stdout) != 1) return 1;
        }
        return 0;
    }
    uint32_t in[2];
    size_t arity = is_fmod ? 2 : 1;
    while (fread(in, 4, arity, stdin) == arity) {
        uint32_t r = to_bits(is_fmod ? binary(from_bits(in[0]), from_bits(in[1])) : f(from_bits(in[0])));
        if (fwrite(&r, 4, 1, stdout) != 1) return 1;
    }
    return 0;
}
