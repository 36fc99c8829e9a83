// SPDX-License-Identifier: MIT
/* Network-interface pieces other API families call. */
#ifndef API_NETWORK_INTERFACE_H
#define API_NETWORK_INTERFACE_H
#include <stddef.h>

struct api_call;
struct eni;

/* Loads ENI id into *ret (arena) or fails with
 * InvalidNetworkInterfaceID.NotFound. */
int api_eni_load(struct api_call *c, const char *id, struct eni **ret);
/* Removes repeated strings from v[0..n) in place, keeping the first of each
 * in order; returns the new count.  A group named twice is one group. */
size_t api_ids_dedupe(const char **v, size_t n);

#endif
