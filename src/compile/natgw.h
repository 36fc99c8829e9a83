// SPDX-License-Identifier: MIT
/* A NAT gateway's namespace (spec §10): one ENI (eth0) in its subnet, like
 * an instance with the source/destination check off, forwarding what the
 * VPC routes to it back out of the same interface with its source
 * translated to the gateway's private IP; the internet gateway maps that
 * to the Elastic IP.  Nothing it did not start gets in.  Pure. */
#ifndef COMPILE_NATGW_H
#define COMPILE_NATGW_H

struct builder;
struct nat_gateway;
struct subnet;

void compile_natgw(struct builder *b, const struct nat_gateway *g, const struct subnet *sn);

#endif
