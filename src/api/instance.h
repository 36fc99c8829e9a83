// SPDX-License-Identifier: MIT
/* Instance pieces other API families call. */
#ifndef API_INSTANCE_H
#define API_INSTANCE_H
#include <stddef.h>
#include <stdint.h>

struct api_call;
struct instance;
struct subnet;

/* The one image localvpc ships (Debian 12 with OpenSSH); see image.c. */
#define DEFAULT_IMAGE_ID "ami-0de12b0000c0ffee1"

int api_instance_load(struct api_call *c, const char *id, struct instance **ret);
/* Writes one <item> body of instancesSet. */
void api_instance_write(struct api_call *c, const struct instance *in, const char *state);
/* Allocates the lowest free public IPv4 of the pool into *ret. */
int api_public_ip_alloc(struct api_call *c, uint32_t *ret);
/* The lowest free address of subnet s that AWS would let an ENI have
 * (SUB-5), skipping taken[0..n_taken) too (addresses chosen earlier in the
 * same call); fails with InsufficientFreeAddressesInSubnet. */
int api_private_ip_alloc(struct api_call *c, const struct subnet *s, const uint32_t *taken,
			 size_t n_taken, uint32_t *ret);
/* A requested private IP: inside s, not reserved (InvalidParameterValue),
 * not held by another ENI (InvalidIPAddress.InUse). */
int api_private_ip_check(struct api_call *c, const struct subnet *s, uint32_t ip);
/* A new locally administered MAC "0e:xx:xx:xx:xx:xx" into out
 * (MAC_STR_MAX bytes). */
void api_mac_new(char *out);
/* True when the type is one DescribeInstanceTypes lists. */
int api_instance_type_known(const char *type);

#endif
