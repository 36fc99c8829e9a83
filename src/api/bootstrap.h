// SPDX-License-Identifier: MIT
/* The default VPC (VPC-12): built on the daemon's first start, as a new
 * AWS account has it, and again by CreateDefaultVpc after a deletion. */
#ifndef API_BOOTSTRAP_H
#define API_BOOTSTRAP_H
#include <stdbool.h>

struct api_ctx;
struct api_call;
struct vpc;

bool bootstrap_region_known(const char *region);
/* On the first start of a state dir, creates the default VPC in one
 * transaction; later starts change nothing.  Returns 0 or -EIO. */
int bootstrap_default_vpc(struct api_ctx *ctx);
/* The default VPC into *ret: 0, or -ENOENT when there is none (the call is
 * not failed), or a recorded failure. */
int api_default_vpc_find(struct api_call *c, struct vpc **ret);


#endif
