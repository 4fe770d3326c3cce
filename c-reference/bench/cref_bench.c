/* minnow-cref-bench [-t SECONDS] [-r REPS] SPEC: times each case of a spec file (the format minnow-cref reads) with
 * the reference kernels, for the benchmarks module's same-run comparison. Per case it prints
 *   result NAME HEX                        the outputs of the first run (as minnow-cref prints them)
 *   bench NAME n=N best_ns=W best_cpu_ns=C the best of REPS repetitions of N runs each: mean wall-clock and thread-CPU
 *                                          nanoseconds per run (N is chosen so one repetition takes >= SECONDS)
 *   error NAME MESSAGE                     the case was rejected or malformed
 * A run is one mc_run on the case's tensors as parsed, so state tensors (LSTM, SVDF) carry over between runs, as
 * they do between invokes of an interpreter. */
#define _POSIX_C_SOURCE 200809L
#include "../src/kernels.h"
#include "../src/spec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* Runs the case n times; returns the first error, or NULL. Wall and CPU seconds of the n runs in *wall, *cpu. */
static const char *run_n(mc_case *c, long n, double *wall, double *cpu) {
    double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < n; i++) {
        const char *e = mc_run(c);
        if (e) return e;
    }
    *cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    *wall = now_s(CLOCK_MONOTONIC) - w0;
    return NULL;
}

int main(int argc, char **argv) {
    double min_seconds = 0.5;
    int reps = 5;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-t") && i + 1 < argc) min_seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !path) path = argv[i];
        else { fprintf(stderr, "usage: minnow-cref-bench [-t SECONDS] [-r REPS] SPEC\n"); return 2; }
    }
    if (!path || min_seconds <= 0 || reps < 1) { fprintf(stderr, "usage: minnow-cref-bench [-t SECONDS] [-r REPS] SPEC\n"); return 2; }
    FILE *in = fopen(path, "r");
    if (!in) { fprintf(stderr, "minnow-cref-bench: cannot open %s\n", path); return 2; }
    static mc_case c;
    char err[256];
    int rc;
    while ((rc = mc_read_case(in, &c, err, sizeof err)) != 0) {
        if (rc < 0) { printf("error %s %s\n", c.name[0] ? c.name : "?", err); mc_free_case(&c); continue; }
        const char *e = mc_run(&c);
        mc_tensor *outs[MC_MAX_TENSORS];
        int nout = mc_outputs(&c, outs, MC_MAX_TENSORS);
        if (e || nout <= 0) { printf("error %s %s\n", c.name, e ? e : "no output tensor"); mc_free_case(&c); continue; }
        printf("result %s ", c.name);
        for (int k = 0; k < nout; k++)
            for (size_t i = 0; i < outs[k]->bytes; i++) printf("%02x", outs[k]->data[i]);
        printf("\n");
        /* calibrate: double n until one repetition takes a tenth of the target, then scale */
        long n = 1;
        double wall = 0, cpu = 0;
        for (;;) {
            if ((e = run_n(&c, n, &wall, &cpu)) != NULL) break;
            if (wall >= min_seconds / 10 || n >= (1L << 40)) break;
            n *= 2;
        }
        if (!e && wall < min_seconds) n = (long) ((double) n * min_seconds / (wall > 1e-9 ? wall : 1e-9)) + 1;
        double best_wall = 1e300, best_cpu = 1e300;
        for (int r = 0; r < reps && !e; r++) {
            e = run_n(&c, n, &wall, &cpu);
            if (!e && wall < best_wall) best_wall = wall;
            if (!e && cpu < best_cpu) best_cpu = cpu;
        }
        if (e) printf("error %s %s\n", c.name, e);
        else printf("bench %s n=%ld best_ns=%.1f best_cpu_ns=%.1f\n", c.name, n, best_wall * 1e9 / (double) n, best_cpu * 1e9 / (double) n);
        fflush(stdout);
        mc_free_case(&c);
    }
    fclose(in);
    return 0;
}
