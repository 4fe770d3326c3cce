/* SignalIrfft: the inverse real FFT as TFLM builds kissfft v130 for int16 (FIXED_POINT=16), int32 (FIXED_POINT=32)
 * and float32, written here from kissfft's algorithm: the spectrum's nfft/2+1 bins are folded into a complex
 * sequence of nfft/2 points, which a mixed-radix (4, 2, 3, 5) decimation-in-time FFT with positive-phase twiddles
 * turns into the nfft real samples (interleaved as complex pairs). Fixed point divides by each stage's radix and
 * rounds every product as kissfft's sround; float32 divides the result by nfft afterwards, as TFLM does. Twiddles
 * come from the C library's cos and sin in double. Lengths whose half is 1 or has a prime factor above 5 are refused: TFLM's
 * kissfft crashes on them. Tensors: input [rows, >= 2*(nfft/2+1)], output [rows, >= nfft] (rows at the tensors'
 * last-dimension strides); attributes fft_length and, implied by the tensor type, the build. */
#include "kernels.h"
#include "tensor_io.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int n;              /* complex points */
    int bits;           /* 0: float, else 16 or 32 */
    int factors[64];
    int nfactors;
    int64_t *tw_i;      /* fixed twiddles, n complex */
    float *tw_f;
    int64_t *st_i;      /* super twiddles, n/2 complex */
    float *st_f;
} plan;

static const double PI_KISS = 3.14159265358979323846264338327;

/* ---- fixed-point arithmetic with the C types' widths ---- */
static int64_t wrap(const plan *p, int64_t x) { return p->bits == 16 ? (int16_t) x : (int32_t) x; }
static int64_t prod(const plan *p, int64_t x) { return p->bits == 16 ? (int32_t) x : x; }
static int64_t sround(const plan *p, int64_t x) {
    int frac = p->bits - 1;
    return wrap(p, prod(p, prod(p, x) + (1LL << (frac - 1))) >> frac);
}
static int64_t samp_max(const plan *p) { return p->bits == 16 ? 32767 : 2147483647; }
static int64_t divs(const plan *p, int64_t x, int k) { return sround(p, x * (samp_max(p) / k)); }
static int64_t smul_r(const plan *p, int64_t a, int64_t b) { return sround(p, a * b); }
/* complex product, real and imaginary parts (the difference and sum in the product type) */
static int64_t cmul_re(const plan *p, int64_t ar, int64_t ai, int64_t br, int64_t bi) { return sround(p, prod(p, ar * br) - prod(p, ai * bi)); }
static int64_t cmul_im(const plan *p, int64_t ar, int64_t ai, int64_t br, int64_t bi) { return sround(p, prod(p, ar * bi) + prod(p, ai * br)); }

static int fixed_twiddle(const plan *p, double v) { return (int) (int64_t) floor(.5 + (double) samp_max(p) * v); }

static int make_plan(plan *p, int nfft, int bits) {
    memset(p, 0, sizeof *p);
    p->n = nfft / 2;
    p->bits = bits;
    int n = p->n, r = 4;
    double root = floor(sqrt((double) n));
    do {
        while (n % r) {
            r = r == 4 ? 2 : r == 2 ? 3 : r + 2;
            if (r > root) r = n;
        }
        n /= r;
        p->factors[p->nfactors++] = r;
        p->factors[p->nfactors++] = n;
    } while (n > 1);
    for (int i = 0; i < p->nfactors; i += 2) if (p->factors[i] < 2 || p->factors[i] > 5) return 0;
    int m = p->n;
    if (bits) { p->tw_i = malloc(sizeof(int64_t) * 2 * (size_t) m); p->st_i = malloc(sizeof(int64_t) * (size_t) (m + 1)); }
    else { p->tw_f = malloc(sizeof(float) * 2 * (size_t) m); p->st_f = malloc(sizeof(float) * (size_t) (m + 1)); }
    for (int i = 0; i < m; i++) {
        double ph = -(-2 * PI_KISS * i / m);   /* inverse: the phase negated */
        if (bits) { p->tw_i[2 * i] = wrap(p, fixed_twiddle(p, cos(ph))); p->tw_i[2 * i + 1] = wrap(p, fixed_twiddle(p, sin(ph))); }
        else { p->tw_f[2 * i] = (float) cos(ph); p->tw_f[2 * i + 1] = (float) sin(ph); }
    }
    for (int i = 0; i < m / 2; i++) {
        double ph = -(-PI_KISS * ((double) (i + 1) / m + .5));
        if (bits) { p->st_i[2 * i] = wrap(p, fixed_twiddle(p, cos(ph))); p->st_i[2 * i + 1] = wrap(p, fixed_twiddle(p, sin(ph))); }
        else { p->st_f[2 * i] = (float) cos(ph); p->st_f[2 * i + 1] = (float) sin(ph); }
    }
    return 1;
}

static void free_plan(plan *p) { free(p->tw_i); free(p->tw_f); free(p->st_i); free(p->st_f); }

/* ---- the complex FFT, fixed point: out[0..n) from in[] read at a stride ---- */
static void work_i(const plan *p, int64_t *out, const int64_t *in, int stride, int fi) {
    int radix = p->factors[fi], m = p->factors[fi + 1];
    if (m == 1) {
        for (int k = 0; k < radix; k++) { out[2 * k] = in[2 * k * stride]; out[2 * k + 1] = in[2 * k * stride + 1]; }
    } else {
        for (int k = 0; k < radix; k++) work_i(p, out + 2 * k * m, in + 2 * k * stride, stride * radix, fi + 2);
    }
    const int64_t *tw = p->tw_i;
    for (int u = 0; u < m; u++) {
        int64_t *a = out + 2 * u;
        #define RE(j) a[2 * (j) * m]
        #define IM(j) a[2 * (j) * m + 1]
        for (int j = 0; j < radix; j++) { RE(j) = divs(p, RE(j), radix); IM(j) = divs(p, IM(j), radix); }
        if (radix == 2) {
            int t = u * stride;
            int64_t tr = cmul_re(p, RE(1), IM(1), tw[2 * t], tw[2 * t + 1]), ti = cmul_im(p, RE(1), IM(1), tw[2 * t], tw[2 * t + 1]);
            RE(1) = wrap(p, RE(0) - tr); IM(1) = wrap(p, IM(0) - ti);
            RE(0) = wrap(p, RE(0) + tr); IM(0) = wrap(p, IM(0) + ti);
        } else if (radix == 4) {
            int t1 = u * stride, t2 = 2 * u * stride, t3 = 3 * u * stride;
            int64_t s0r = cmul_re(p, RE(1), IM(1), tw[2 * t1], tw[2 * t1 + 1]), s0i = cmul_im(p, RE(1), IM(1), tw[2 * t1], tw[2 * t1 + 1]);
            int64_t s1r = cmul_re(p, RE(2), IM(2), tw[2 * t2], tw[2 * t2 + 1]), s1i = cmul_im(p, RE(2), IM(2), tw[2 * t2], tw[2 * t2 + 1]);
            int64_t s2r = cmul_re(p, RE(3), IM(3), tw[2 * t3], tw[2 * t3 + 1]), s2i = cmul_im(p, RE(3), IM(3), tw[2 * t3], tw[2 * t3 + 1]);
            int64_t s5r = wrap(p, RE(0) - s1r), s5i = wrap(p, IM(0) - s1i);
            RE(0) = wrap(p, RE(0) + s1r); IM(0) = wrap(p, IM(0) + s1i);
            int64_t s3r = wrap(p, s0r + s2r), s3i = wrap(p, s0i + s2i), s4r = wrap(p, s0r - s2r), s4i = wrap(p, s0i - s2i);
            RE(2) = wrap(p, RE(0) - s3r); IM(2) = wrap(p, IM(0) - s3i);
            RE(0) = wrap(p, RE(0) + s3r); IM(0) = wrap(p, IM(0) + s3i);
            RE(1) = wrap(p, s5r - s4i); IM(1) = wrap(p, s5i + s4r);      /* inverse */
            RE(3) = wrap(p, s5r + s4i); IM(3) = wrap(p, s5i - s4r);
        } else if (radix == 3) {
            int64_t e3 = tw[2 * (stride * m) + 1];
            int t1 = u * stride, t2 = 2 * u * stride;
            int64_t s1r = cmul_re(p, RE(1), IM(1), tw[2 * t1], tw[2 * t1 + 1]), s1i = cmul_im(p, RE(1), IM(1), tw[2 * t1], tw[2 * t1 + 1]);
            int64_t s2r = cmul_re(p, RE(2), IM(2), tw[2 * t2], tw[2 * t2 + 1]), s2i = cmul_im(p, RE(2), IM(2), tw[2 * t2], tw[2 * t2 + 1]);
            int64_t s3r = wrap(p, s1r + s2r), s3i = wrap(p, s1i + s2i), s0r = wrap(p, s1r - s2r), s0i = wrap(p, s1i - s2i);
            RE(1) = wrap(p, RE(0) - (s3r >> 1)); IM(1) = wrap(p, IM(0) - (s3i >> 1));
            s0r = smul_r(p, s0r, e3); s0i = smul_r(p, s0i, e3);
            RE(0) = wrap(p, RE(0) + s3r); IM(0) = wrap(p, IM(0) + s3i);
            RE(2) = wrap(p, RE(1) + s0i); IM(2) = wrap(p, IM(1) - s0r);
            RE(1) = wrap(p, RE(1) - s0i); IM(1) = wrap(p, IM(1) + s0r);
        } else {   /* 5 */
            int64_t yar = tw[2 * (stride * m)], yai = tw[2 * (stride * m) + 1];
            int64_t ybr = tw[2 * (2 * stride * m)], ybi = tw[2 * (2 * stride * m) + 1];
            int64_t sr[5], si[5];
            sr[0] = RE(0); si[0] = IM(0);
            for (int j = 1; j < 5; j++) {
                int t = j * u * stride;
                sr[j] = cmul_re(p, RE(j), IM(j), tw[2 * t], tw[2 * t + 1]);
                si[j] = cmul_im(p, RE(j), IM(j), tw[2 * t], tw[2 * t + 1]);
            }
            int64_t s7r = wrap(p, sr[1] + sr[4]), s7i = wrap(p, si[1] + si[4]), s10r = wrap(p, sr[1] - sr[4]), s10i = wrap(p, si[1] - si[4]);
            int64_t s8r = wrap(p, sr[2] + sr[3]), s8i = wrap(p, si[2] + si[3]), s9r = wrap(p, sr[2] - sr[3]), s9i = wrap(p, si[2] - si[3]);
            RE(0) = wrap(p, RE(0) + (s7r + s8r)); IM(0) = wrap(p, IM(0) + (s7i + s8i));
            int64_t s5r = wrap(p, sr[0] + smul_r(p, s7r, yar) + smul_r(p, s8r, ybr));
            int64_t s5i = wrap(p, si[0] + smul_r(p, s7i, yar) + smul_r(p, s8i, ybr));
            int64_t s6r = wrap(p, smul_r(p, s10i, yai) + smul_r(p, s9i, ybi));
            int64_t s6i = wrap(p, -smul_r(p, s10r, yai) - smul_r(p, s9r, ybi));
            RE(1) = wrap(p, s5r - s6r); IM(1) = wrap(p, s5i - s6i);
            RE(4) = wrap(p, s5r + s6r); IM(4) = wrap(p, s5i + s6i);
            int64_t s11r = wrap(p, sr[0] + smul_r(p, s7r, ybr) + smul_r(p, s8r, yar));
            int64_t s11i = wrap(p, si[0] + smul_r(p, s7i, ybr) + smul_r(p, s8i, yar));
            int64_t s12r = wrap(p, -smul_r(p, s10i, ybi) + smul_r(p, s9i, yai));
            int64_t s12i = wrap(p, smul_r(p, s10r, ybi) - smul_r(p, s9r, yai));
            RE(2) = wrap(p, s11r + s12r); IM(2) = wrap(p, s11i + s12i);
            RE(3) = wrap(p, s11r - s12r); IM(3) = wrap(p, s11i - s12i);
        }
        #undef RE
        #undef IM
    }
}

/* ---- the complex FFT, float ---- */
static void work_f(const plan *p, float *out, const float *in, int stride, int fi) {
    int radix = p->factors[fi], m = p->factors[fi + 1];
    if (m == 1) {
        for (int k = 0; k < radix; k++) { out[2 * k] = in[2 * k * stride]; out[2 * k + 1] = in[2 * k * stride + 1]; }
    } else {
        for (int k = 0; k < radix; k++) work_f(p, out + 2 * k * m, in + 2 * k * stride, stride * radix, fi + 2);
    }
    const float *tw = p->tw_f;
    for (int u = 0; u < m; u++) {
        float *a = out + 2 * u;
        #define RE(j) a[2 * (j) * m]
        #define IM(j) a[2 * (j) * m + 1]
        #define MRE(xr, xi, t) ((xr) * tw[2 * (t)] - (xi) * tw[2 * (t) + 1])
        #define MIM(xr, xi, t) ((xr) * tw[2 * (t) + 1] + (xi) * tw[2 * (t)])
        if (radix == 2) {
            int t = u * stride;
            float tr = MRE(RE(1), IM(1), t), ti = MIM(RE(1), IM(1), t);
            RE(1) = RE(0) - tr; IM(1) = IM(0) - ti;
            RE(0) += tr; IM(0) += ti;
        } else if (radix == 4) {
            int t1 = u * stride, t2 = 2 * u * stride, t3 = 3 * u * stride;
            float s0r = MRE(RE(1), IM(1), t1), s0i = MIM(RE(1), IM(1), t1);
            float s1r = MRE(RE(2), IM(2), t2), s1i = MIM(RE(2), IM(2), t2);
            float s2r = MRE(RE(3), IM(3), t3), s2i = MIM(RE(3), IM(3), t3);
            float s5r = RE(0) - s1r, s5i = IM(0) - s1i;
            RE(0) += s1r; IM(0) += s1i;
            float s3r = s0r + s2r, s3i = s0i + s2i, s4r = s0r - s2r, s4i = s0i - s2i;
            RE(2) = RE(0) - s3r; IM(2) = IM(0) - s3i;
            RE(0) += s3r; IM(0) += s3i;
            RE(1) = s5r - s4i; IM(1) = s5i + s4r;
            RE(3) = s5r + s4i; IM(3) = s5i - s4r;
        } else if (radix == 3) {
            float e3 = tw[2 * (stride * m) + 1];
            int t1 = u * stride, t2 = 2 * u * stride;
            float s1r = MRE(RE(1), IM(1), t1), s1i = MIM(RE(1), IM(1), t1);
            float s2r = MRE(RE(2), IM(2), t2), s2i = MIM(RE(2), IM(2), t2);
            float s3r = s1r + s2r, s3i = s1i + s2i, s0r = s1r - s2r, s0i = s1i - s2i;
            RE(1) = RE(0) - s3r * .5f; IM(1) = IM(0) - s3i * .5f;
            s0r *= e3; s0i *= e3;
            RE(0) += s3r; IM(0) += s3i;
            RE(2) = RE(1) + s0i; IM(2) = IM(1) - s0r;
            RE(1) -= s0i; IM(1) += s0r;
        } else {
            float yar = tw[2 * (stride * m)], yai = tw[2 * (stride * m) + 1];
            float ybr = tw[2 * (2 * stride * m)], ybi = tw[2 * (2 * stride * m) + 1];
            float sr[5], si[5];
            sr[0] = RE(0); si[0] = IM(0);
            for (int j = 1; j < 5; j++) { int t = j * u * stride; sr[j] = MRE(RE(j), IM(j), t); si[j] = MIM(RE(j), IM(j), t); }
            float s7r = sr[1] + sr[4], s7i = si[1] + si[4], s10r = sr[1] - sr[4], s10i = si[1] - si[4];
            float s8r = sr[2] + sr[3], s8i = si[2] + si[3], s9r = sr[2] - sr[3], s9i = si[2] - si[3];
            RE(0) += s7r + s8r; IM(0) += s7i + s8i;
            float s5r = sr[0] + s7r * yar + s8r * ybr, s5i = si[0] + s7i * yar + s8i * ybr;
            float s6r = s10i * yai + s9i * ybi, s6i = -(s10r * yai) - s9r * ybi;
            RE(1) = s5r - s6r; IM(1) = s5i - s6i;
            RE(4) = s5r + s6r; IM(4) = s5i + s6i;
            float s11r = sr[0] + s7r * ybr + s8r * yar, s11i = si[0] + s7i * ybr + s8i * yar;
            float s12r = -(s10i * ybi) + s9i * yai, s12i = s10r * ybi - s9r * yai;
            RE(2) = s11r + s12r; IM(2) = s11i + s12i;
            RE(3) = s11r - s12r; IM(3) = s11i - s12i;
        }
        #undef RE
        #undef IM
        #undef MRE
        #undef MIM
    }
}

const char *mc_signal_irfft(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->type != out->type || in->rank != out->rank || in->rank < 1) return "input and output of one type and rank";
    int bits = in->type == MC_INT16 ? 16 : in->type == MC_INT32 ? 32 : in->type == MC_FLOAT32 ? 0 : -1;
    if (bits < 0) return "int16, int32 or float32";
    int nfft = (int) mc_attr(c, "fft_length", 0);
    if (nfft <= 0 || nfft % 2) return "fft_length must be even and positive";
    long in_len = in->dims[in->rank - 1] / 2, in_size = mc_elements(in) / 2, out_len = out->dims[out->rank - 1];
    if (in_len <= 0) return "empty input rows";
    long rows = (in_size + in_len - 1) / in_len, n = nfft / 2;
    if ((rows - 1) * in_len + n + 1 > in_size || (rows - 1) * out_len + nfft > mc_elements(out)) return "tensors too small";
    plan p;
    if (!make_plan(&p, nfft, bits)) { free_plan(&p); return "fft length needs the generic butterfly, which crashes TFLM"; }
    for (long r = 0; r < rows; r++) {
        long fi = r * in_len, oi = r * out_len;   /* complex index into the input, sample index into the output */
        if (bits) {
            int64_t *pre = malloc(sizeof(int64_t) * 2 * (size_t) n), *res = malloc(sizeof(int64_t) * 2 * (size_t) n);
            #define F(k, part) ((int64_t) geti(in, 2 * (fi + (k)) + (part)))
            pre[0] = divs(&p, wrap(&p, F(0, 0) + F(n, 0)), 2);
            pre[1] = divs(&p, wrap(&p, F(0, 0) - F(n, 0)), 2);
            for (long k = 1; k <= n / 2; k++) {
                int64_t fkr = divs(&p, F(k, 0), 2), fki = divs(&p, F(k, 1), 2);
                int64_t gr = divs(&p, F(n - k, 0), 2), gi = divs(&p, wrap(&p, -F(n - k, 1)), 2);
                int64_t er = wrap(&p, fkr + gr), ei = wrap(&p, fki + gi), tr = wrap(&p, fkr - gr), ti = wrap(&p, fki - gi);
                const int64_t *s = p.st_i + 2 * (k - 1);
                int64_t orr = cmul_re(&p, tr, ti, s[0], s[1]), oii = cmul_im(&p, tr, ti, s[0], s[1]);
                pre[2 * k] = wrap(&p, er + orr); pre[2 * k + 1] = wrap(&p, ei + oii);
                pre[2 * (n - k)] = wrap(&p, er - orr); pre[2 * (n - k) + 1] = wrap(&p, ei - oii);
                pre[2 * (n - k) + 1] = wrap(&p, -pre[2 * (n - k) + 1]);
            }
            #undef F
            work_i(&p, res, pre, 1, 0);
            for (long i = 0; i < nfft; i++) puti(out, oi + i, (int32_t) res[i]);
            free(pre); free(res);
        } else {
            float *pre = malloc(sizeof(float) * 2 * (size_t) n), *res = malloc(sizeof(float) * 2 * (size_t) n);
            float f0 = getf(in, 2 * fi), fn = getf(in, 2 * (fi + n));
            pre[0] = f0 + fn; pre[1] = f0 - fn;
            for (long k = 1; k <= n / 2; k++) {
                float fkr = getf(in, 2 * (fi + k)), fki = getf(in, 2 * (fi + k) + 1);
                float gr = getf(in, 2 * (fi + n - k)), gi = -getf(in, 2 * (fi + n - k) + 1);
                float er = fkr + gr, ei = fki + gi, tr = fkr - gr, ti = fki - gi;
                const float *s = p.st_f + 2 * (k - 1);
                float orr = tr * s[0] - ti * s[1], oii = tr * s[1] + ti * s[0];
                pre[2 * k] = er + orr; pre[2 * k + 1] = ei + oii;
                pre[2 * (n - k)] = er - orr; pre[2 * (n - k) + 1] = ei - oii;
                pre[2 * (n - k) + 1] *= -1;
            }
            work_f(&p, res, pre, 1, 0);
            for (long i = 0; i < nfft; i++) putf(out, oi + i, res[i] / (float) nfft);
            free(pre); free(res);
        }
    }
    free_plan(&p);
    return NULL;
}
