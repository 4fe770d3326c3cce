/* minnow-cref [SPEC]: runs every case of a spec file (or stdin) and prints one line per case:
 *   result NAME HEX      the output tensor's bytes (multi-output ops: output0, output1, ... concatenated in order)
 *   error NAME MESSAGE   the case was rejected or malformed */
#include "data_image_matmul.h"
#include "kernels.h"
#include "spec.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!in) { fprintf(stderr, "minnow-cref: cannot open %s\n", argv[1]); return 2; }
    static mc_case c;
    char err[256];
    int rc;
    while ((rc = mc_read_case(in, &c, err, sizeof err)) != 0) {
        if (rc < 0) { printf("error %s %s\n", c.name[0] ? c.name : "?", err); mc_free_case(&c); continue; }
        const char *e = NULL;
        if (!mc_run_data_movement2(&c, &e) && !mc_run_resize(&c, &e) && !mc_run_batch_matmul(&c, &e)
            && !mc_run_decode(&c, &e)) e = mc_run(&c);
        mc_tensor *outs[MC_MAX_TENSORS];
        int n = mc_outputs(&c, outs, MC_MAX_TENSORS);
        if (e || n <= 0) {
            printf("error %s %s\n", c.name, e ? e : "no output tensor");
        } else {
            printf("result %s ", c.name);
            for (int k = 0; k < n; k++)
                for (size_t i = 0; i < outs[k]->bytes; i++) printf("%02x", outs[k]->data[i]);
            printf("\n");
        }
        mc_free_case(&c);
    }
    if (in != stdin) fclose(in);
    return 0;
}
