#define _POSIX_C_SOURCE 200809L
#include "spec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t mc_type_size(mc_type t) {
    switch (t) {
        case MC_INT8: case MC_BOOL: case MC_UINT8: return 1;
        case MC_INT16: return 2;
        case MC_INT64: return 8;
        default: return 4;
    }
}

long mc_elements(const mc_tensor *t) {
    long n = 1;
    for (int i = 0; i < t->rank; i++) n *= t->dims[i];
    return n;
}

static int parse_type(const char *s, mc_type *t) {
    if (!strcmp(s, "float32")) *t = MC_FLOAT32;
    else if (!strcmp(s, "int8")) *t = MC_INT8;
    else if (!strcmp(s, "int16")) *t = MC_INT16;
    else if (!strcmp(s, "int32")) *t = MC_INT32;
    else if (!strcmp(s, "int64")) *t = MC_INT64;
    else if (!strcmp(s, "bool")) *t = MC_BOOL;
    else if (!strcmp(s, "uint8")) *t = MC_UINT8;
    else if (!strcmp(s, "uint32")) *t = MC_UINT32;
    else return 0;
    return 1;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void mc_free_case(mc_case *c) {
    for (int i = 0; i < c->ntensors; i++) {
        free(c->tensors[i].scales);
        free(c->tensors[i].zero_points);
        free(c->tensors[i].data);
    }
    memset(c, 0, sizeof(*c));
}

/* One tensor line: tensor NAME none | tensor NAME TYPE shape D.. [scale S..] [zp Z..] [data HEX] */
static int parse_tensor(char *line, mc_tensor *t, char *err, size_t errlen) {
    char *save = NULL;
    char *tok = strtok_r(line, " \t\r\n", &save);          /* "tensor" */
    tok = strtok_r(NULL, " \t\r\n", &save);
    if (!tok) { snprintf(err, errlen, "tensor without a name"); return 0; }
    snprintf(t->name, sizeof t->name, "%s", tok);
    tok = strtok_r(NULL, " \t\r\n", &save);
    if (!tok) { snprintf(err, errlen, "tensor %s without a type", t->name); return 0; }
    if (!strcmp(tok, "none")) { t->present = 0; return 1; }
    t->present = 1;
    if (!parse_type(tok, &t->type)) { snprintf(err, errlen, "tensor %s: unknown type %s", t->name, tok); return 0; }
    const char *section = "";
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
        if (!strcmp(tok, "shape") || !strcmp(tok, "scale") || !strcmp(tok, "zp") || !strcmp(tok, "qdim") || !strcmp(tok, "data")) { section = tok; continue; }
        if (!strcmp(section, "shape")) {
            if (t->rank >= MC_MAX_RANK) { snprintf(err, errlen, "tensor %s: rank above %d", t->name, MC_MAX_RANK); return 0; }
            t->dims[t->rank++] = atoi(tok);
        } else if (!strcmp(section, "scale")) {
            t->scales = realloc(t->scales, sizeof(float) * (t->nscale + 1));
            t->scales[t->nscale++] = strtof(tok, NULL);
        } else if (!strcmp(section, "zp")) {
            t->zero_points = realloc(t->zero_points, sizeof(int64_t) * (t->nzp + 1));
            t->zero_points[t->nzp++] = strtoll(tok, NULL, 10);
        } else if (!strcmp(section, "qdim")) {
            t->quantized_dimension = atoi(tok); /* kernels derive channels from the scale count and layout */
        } else if (!strcmp(section, "data")) {
            size_t len = strlen(tok);
            if (len % 2) { snprintf(err, errlen, "tensor %s: odd hex length", t->name); return 0; }
            t->data = malloc(len / 2 + 1);
            for (size_t i = 0; i < len / 2; i++) {
                int hi = hexval(tok[2 * i]), lo = hexval(tok[2 * i + 1]);
                if (hi < 0 || lo < 0) { snprintf(err, errlen, "tensor %s: bad hex", t->name); return 0; }
                t->data[i] = (unsigned char) (hi * 16 + lo);
            }
            t->bytes = len / 2;
        } else {
            snprintf(err, errlen, "tensor %s: unexpected token %s", t->name, tok);
            return 0;
        }
    }
    size_t need = (size_t) mc_elements(t) * mc_type_size(t->type);
    if (t->data && t->bytes != need) {
        snprintf(err, errlen, "tensor %s: %zu data bytes, shape needs %zu", t->name, t->bytes, need);
        return 0;
    }
    if (!t->data) { t->data = calloc(need + 1, 1); t->bytes = need; }
    return 1;
}

static int read_case(FILE *in, mc_case *c, char *err, size_t errlen);

/* On a malformed case, skips to its 'end' line so the following cases still run. */
int mc_read_case(FILE *in, mc_case *c, char *err, size_t errlen) {
    int rc = read_case(in, c, err, errlen);
    if (rc < 0) {
        char buf[256];
        int at_line_start = 1;
        while (fgets(buf, sizeof buf, in)) {
            if (at_line_start && !strncmp(buf, "end", 3)) break;
            at_line_start = strchr(buf, '\n') != NULL;
        }
    }
    return rc;
}

static int read_case(FILE *in, mc_case *c, char *err, size_t errlen) {
    static char line[1 << 22];
    int started = 0;
    memset(c, 0, sizeof(*c));
    while (fgets(line, sizeof line, in)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char word[32] = {0};
        sscanf(line, "%31s", word);
        if (!strcmp(word, "case")) {
            sscanf(line, "case %127s", c->name);
            started = 1;
        } else if (!started) {
            snprintf(err, errlen, "expected 'case', got '%s'", word);
            return -1;
        } else if (!strcmp(word, "op")) {
            sscanf(line, "op %47s", c->op);
        } else if (!strcmp(word, "attr")) {
            if (c->nattr >= MC_MAX_ATTRS) { snprintf(err, errlen, "too many attributes"); return -1; }
            if (sscanf(line, "attr %31s %lf", c->attr_name[c->nattr], &c->attr_value[c->nattr]) != 2) {
                snprintf(err, errlen, "bad attr line"); return -1;
            }
            c->nattr++;
        } else if (!strcmp(word, "tensor")) {
            if (c->ntensors >= MC_MAX_TENSORS) { snprintf(err, errlen, "too many tensors"); return -1; }
            if (!parse_tensor(line, &c->tensors[c->ntensors++], err, errlen)) return -1;
        } else if (!strcmp(word, "end")) {
            return 1;
        } else {
            snprintf(err, errlen, "unknown line '%s'", word);
            return -1;
        }
    }
    if (started) { snprintf(err, errlen, "case %s has no 'end'", c->name); return -1; }
    return 0;
}

mc_tensor *mc_tensor_named(mc_case *c, const char *name) {
    for (int i = 0; i < c->ntensors; i++) if (!strcmp(c->tensors[i].name, name)) return &c->tensors[i];
    return NULL;
}

double mc_attr(const mc_case *c, const char *name, double fallback) {
    for (int i = 0; i < c->nattr; i++) if (!strcmp(c->attr_name[i], name)) return c->attr_value[i];
    return fallback;
}

const char *mc_attr_axes(const mc_case *c, int rank, int reduced[]) {
    int naxes = (int) mc_attr(c, "axes", 0);
    for (int k = 0; k < naxes; k++) {
        char name[16];
        snprintf(name, sizeof name, "axis%d", k);
        int a = (int) mc_attr(c, name, 0);
        if (a < 0) a += rank;
        if (a < 0 || a >= rank) return "axis out of range";
        reduced[a] = 1;
    }
    return NULL;
}
