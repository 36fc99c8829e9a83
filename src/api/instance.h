// SPDX-License-Identifier: MIT
/* Instance pieces other API families call. */
#ifndef API_INSTANCE_H
#define API_INSTANCE_H
#include <stdint.h>

struct api_call;
struct instance;

/* The one image localvpc ships (Debian 12 with OpenSSH); see image.c. */
#define DEFAULT_IMAGE_ID "ami-0de12b0000c0ffee1"

int api_instance_load(struct api_call *c, const char *id, struct instance **ret);
/* Writes one <item> body of instancesSet. */
void api_instance_write(struct api_call *c, const struct instance *in, const char *state);
/* Allocates the lowest free public IPv4 of the pool into *ret. */
int api_public_ip_alloc(struct api_call *c, uint32_t *ret);
/* True when the type is one DescribeInstanceTypes lists. */
int api_instance_type_known(const char *type);

#endif
