/* The case spec the Java tests write (see ../README.md): one op, its attributes and tensors with data as hex. */
#ifndef MINNOW_CREF_SPEC_H
#define MINNOW_CREF_SPEC_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define MC_MAX_RANK 6
#define MC_MAX_TENSORS 32
#define MC_MAX_ATTRS 16

typedef enum { MC_FLOAT32, MC_INT8, MC_INT16, MC_INT32, MC_INT64, MC_BOOL, MC_UINT8, MC_UINT32 } mc_type;

typedef struct {
    char name[32];
    int present;
    mc_type type;
    int rank;
    int dims[MC_MAX_RANK];
    int nscale;
    float *scales;
    int nzp;
    int64_t *zero_points;
    int quantized_dimension;
    size_t bytes;
    unsigned char *data;
} mc_tensor;

typedef struct {
    char name[128];
    char op[48];
    int nattr;
    char attr_name[MC_MAX_ATTRS][32];
    double attr_value[MC_MAX_ATTRS];
    int ntensors;
    mc_tensor tensors[MC_MAX_TENSORS];
} mc_case;

size_t mc_type_size(mc_type t);
long mc_elements(const mc_tensor *t);
/* Reads the next case; returns 1 when one was read, 0 at end of input, -1 on a malformed spec (message in err). */
int mc_read_case(FILE *in, mc_case *c, char *err, size_t errlen);
void mc_free_case(mc_case *c);
mc_tensor *mc_tensor_named(mc_case *c, const char *name);
double mc_attr(const mc_case *c, const char *name, double fallback);
/* The axes that attrs axes (how many) and axis0, axis1, ... name, negative ones counted from the end, marked 1 in
 * reduced[0..rank) (other entries untouched); NULL, or "axis out of range" naming none of them. */
const char *mc_attr_axes(const mc_case *c, int rank, int reduced[]);

#endif
