/* Issue 12's data movement, image and matmul ops, each file with its own dispatcher: 1 when it runs the case's op
 * (error set to NULL or the reason it rejects the case), 0 when the op is not one of its own. */
#ifndef MINNOW_CREF_DATA_IMAGE_MATMUL_H
#define MINNOW_CREF_DATA_IMAGE_MATMUL_H
#include "kernels.h"

int mc_run_data_movement2(mc_case *c, const char **error);  /* data_movement2.c */
int mc_run_resize(mc_case *c, const char **error);          /* resize.c */
int mc_run_batch_matmul(mc_case *c, const char **error);    /* batch_matmul.c */

#endif
