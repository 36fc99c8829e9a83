// SPDX-License-Identifier: MIT
/* Internet-gateway pieces other API families call. */
#ifndef API_IGW_H
#define API_IGW_H

struct api_call;
struct igw;
struct vpc;
struct tag_list;

/* Creates a detached internet gateway (IGW-1); *ret on the arena. */
int api_igw_create(struct api_call *c, const struct tag_list *tags, struct igw **ret);
/* Attaches g to v after the IGW-3 checks. */
int api_igw_attach(struct api_call *c, struct igw *g, const struct vpc *v);

#endif
