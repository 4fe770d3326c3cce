/* Reference kernels with TFLite Micro's arithmetic. Each returns NULL on success or an error message. */
#ifndef MINNOW_CREF_KERNELS_H
#define MINNOW_CREF_KERNELS_H
#include "spec.h"

const char *mc_run(mc_case *c);

/* kernels in their own files */
const char *mc_div(mc_case *c);                 /* div.c */

#endif
