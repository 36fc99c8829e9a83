// SPDX-License-Identifier: MIT
/* Conntrack entries of one network namespace, over ctnetlink (libmnl).
 * Checklist 28: when an ENI is released its private IP may go to a new
 * instance at once; a flow tracked for the old one must not carry on as
 * "established" to the new one, so the entries of that IP go.  Only by
 * IP: nothing here flushes a whole table (a restart keeps every flow). */
#ifndef DATAPLANE_CONNTRACK_H
#define DATAPLANE_CONNTRACK_H
#include <stdint.h>

/* Deletes, in namespace `netns`, every IPv4 entry whose original or reply
 * tuple has `ip` (host order) as source or destination — the reply side
 * covers the IGW's 1:1 NAT, where the original destination is the public
 * IP.  Returns how many were deleted, or -errno. */
int conntrack_delete_ip(const char *netns, uint32_t ip);

#endif
