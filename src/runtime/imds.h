// SPDX-License-Identifier: MIT
/* The instance metadata service at 169.254.169.254 (spec §15): one listening
 * socket inside each VPC router namespace, created there and served from the
 * daemon.  The caller is identified by the ENI its packets came in on (a
 * mark set from iifname in the router's prerouting chain and inherited by
 * the accepted socket), never by its source address (checklist 12).  Replies
 * leave with IP TTL = the instance's hop limit, so a host behind the instance
 * gets no answer at the default of 1.  IMDSv2 tokens are HMACs bound to the
 * instance and their expiry. */
#ifndef RUNTIME_IMDS_H
#define RUNTIME_IMDS_H

struct imds;
struct dp_desired;

/* Returns 0 and a new service in *ret; free with imds_free(). */
int imds_new(struct imds **ret);
/* Takes the entries of d (copied) and makes a listener exist in every router
 * namespace of d, closing those of routers that are gone. */
int imds_update(struct imds *m, const struct dp_desired *d);
void imds_free(struct imds *m);

#endif
