// SPDX-License-Identifier: MIT
/* What the files of the exposure audit (analyze/audit.h) share, and only
 * they: never included outside src/analyze/audit*.c.  One audit is one
 * struct work, filled in stages that each file owns:
 *   audit.c           indexes over the snapshot, the lookups, the order of
 *                     the stages (audit_run())
 *   audit_acl.c       per interface, the pieces: what its groups admit from
 *                     internet sources, cut by its subnet's ACL
 *   audit_exposure.c  pieces → exposures, each confirmed by analyze_path()
 *   audit_findings.c  findings under construction (struct pending), their
 *                     words and fixes, SSH/RDP_OPEN_TO_WORLD and
 *                     NAT_SOURCE_DEST_CHECK, and the sorted list at the end
 *   audit_bastion.c   the bastions and the findings about them:
 *                     PRIVATE_NOT_VIA_BASTION, SINGLE_BASTION_AZ
 *   audit_spoof.c     GROUP_SPOOFABLE: check-off interfaces that pass
 *                     group references by sending from a member's address
 * Everything lives on the work's two arenas: a (the report's) and w
 * (scratch, freed when audit_run() returns); nothing here frees. */
#ifndef ANALYZE_AUDIT_INTERNAL_H
#define ANALYZE_AUDIT_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/audit.h"
#include "util/cidr.h"

struct arena;
struct eni;
struct instance;
struct security_group;
struct sem_sg_entry;
struct sem_sg_rules;
struct sg_rule;
struct snapshot;

#define PORT_SSH 22
#define PORT_RDP 3389

/* An ID and its index in the snapshot's array, sorted by ID. */
struct id_ix {
	const char *id;
	size_t i;
};

/* One piece of an exposure: protocol and ports admitted from one internet
 * source by one group entry and one ACL entry. */
struct piece {
	struct cidr src;
	const struct cidr *except; /* blocks of src that are not this piece's */
	size_t n_except;
	uint32_t probe_ip;         /* an internet address of src outside except */
	int reply_port;            /* a client port the outbound ACL lets replies to */
	int proto, lo, hi;
	const struct sem_sg_entry *x;
	int acl_rule;
};

/* What the internet can meet on its way to the interfaces of one VPC
 * besides the interface itself: the route tables' instance, interface
 * and NAT gateway targets (a reply may be routed to one). */
struct vpc_base {
	const struct vpc *v;
	const struct igw *igw;
	const struct eni **enis;
	size_t n_enis;
};

/* One audit's state, shared by its stages; see the note at the top.
 * Internal names take the audit_ prefix; a stage's entry points add their
 * file's (audit_acl_pieces() lives in audit_acl.c). */
struct work {
	const struct snapshot *s;
	const char *vpc_id;
	struct arena *a, *w; /* the report's arena; scratch */
	struct id_ix *groups, *insts;
	struct sem_sg_rules *ingress; /* per group, flattened on first use */
	bool *has_ingress;
	struct vpc_base *bases;       /* per VPC */
	bool *is_bastion;             /* per ENI */
	const struct eni **bastions;  /* the ENIs marked */
	size_t n_bastions, cap_bastions;
	size_t *exp_eni;              /* per exposure: its ENI's index */
	size_t cap_exp_eni;
	const char **risky_vpc;       /* per group: risky_member() memo */
	const struct eni *(*risky)[2];
	struct piece *pieces;
	size_t n_pieces, cap_pieces;
	struct audit_exposure *exp;
	size_t n_exp, cap_exp;
	struct audit_finding *fnd;
	size_t n_fnd, cap_fnd;
};

/* A finding under construction: keyed by code and what to change, with
 * the instances it concerns. */
struct pending {
	const char *code;
	enum audit_severity severity;
	const void *key;             /* the rule, the ENI, the VPC */
	const char *resource_id;
	const char **ids;            /* instances (or ENIs) concerned */
	size_t n_ids, cap_ids;
	const char *what, *fix, *extra;
};

struct pendings {
	struct pending *v;
	size_t n, cap;
};

/* ---- audit.c: lookups over the work's indexes ---------------------------- */

/* The instance of e (borrowed from the snapshot), or NULL. */
const struct instance *audit_instance_of(const struct work *k, const struct eni *e);

/* Group id (borrowed), or NULL; its index into the snapshot's sgs in
 * *ret_i when ret_i is not NULL (-1 when not found). */
const struct security_group *audit_group_of(const struct work *k, const char *id, long *ret_i);

/* Group gi's ingress entries, flattened by semantics/ as for an interface
 * carrying that group alone, on first use (on the scratch arena). */
const struct sem_sg_rules *audit_group_ingress(struct work *k, long gi);

/* True when vpc_id is what this audit looks at (all VPCs, or the one). */
bool audit_in_scope(const struct work *k, const char *vpc_id);

/* The route targets and gateway of vpc_id, or NULL. */
const struct vpc_base *audit_base_of(const struct work *k, const char *vpc_id);

/* ---- audit_acl.c ----------------------------------------------------------- */

/* Replaces k->pieces by those of ENI e: every ingress entry of its groups
 * with an internet source, per protocol, through its subnet's inbound ACL
 * (and its outbound ACL for the replies). */
void audit_acl_pieces(struct work *k, const struct eni *e);

/* ---- audit_exposure.c ------------------------------------------------------ */

/* True when the internet can address e: it has groups, a public IPv4, a
 * running instance and an internet gateway on its VPC. */
bool audit_exposure_addressable(const struct work *k, const struct eni *e);

/* Appends e's exposures, made of k->pieces and each confirmed by
 * analyze_path(), to k->exp (and their ENI's index to k->exp_eni). */
void audit_exposure_scan(struct work *k, const struct eni *e);

/* ---- audit_findings.c ------------------------------------------------------
 * The finding records and their words, shared with audit_bastion.c. */

/* The finding of code and key in p, added empty (what == NULL) when new. */
struct pending *audit_pend(struct work *k, struct pendings *p, const char *code, const void *key);

/* Adds id (borrowed for the audit) to what x concerns, once. */
void audit_pend_id(struct work *k, struct pending *x, const char *id);

/* e's instance ID, or its own ID when it has no instance. */
const char *audit_eni_label(const struct eni *e);

/* "sg-… (name)", or the bare ID for a group without a name. */
const char *audit_group_label(struct work *k, const char *gid);

/* The aws CLI command that revokes ingress rule r of group gid. */
const char *audit_revoke_cmd(struct work *k, const char *gid, const struct sg_rule *r, int port);

/* An ingress rule of g other than r admitting tcp/port from a block
 * other than 0.0.0.0/0 (peer_group NULL) or from peer_group, or NULL. */
const struct sg_rule *audit_other_admit(const struct security_group *g, const struct sg_rule *r,
					int port, const char *peer_group);

/* SSH_OPEN_TO_WORLD, RDP_OPEN_TO_WORLD, into p. */
void audit_findings_world(struct work *k, struct pendings *p);

/* NAT_SOURCE_DEST_CHECK, into p. */
void audit_findings_nat(struct work *k, struct pendings *p);

/* Turns p into the report's findings (k->fnd), sorted by severity (high
 * first), code and resource. */
void audit_findings_emit(struct work *k, const struct pendings *p);

/* ---- audit_bastion.c ------------------------------------------------------- */

/* Marks as bastions the ENIs with an exposure of tcp/22 (k->is_bastion,
 * k->bastions); run after every exposure is found. */
void audit_bastion_mark(struct work *k);

/* PRIVATE_NOT_VIA_BASTION, into p; needs audit_bastion_mark(). */
void audit_bastion_private(struct work *k, struct pendings *p);

/* SINGLE_BASTION_AZ, into p; needs audit_bastion_mark(). */
void audit_bastion_az(struct work *k, struct pendings *p);

/* ---- audit_spoof.c --------------------------------------------------------- */

/* GROUP_SPOOFABLE, into p. */
void audit_spoof_groups(struct work *k, struct pendings *p);

#endif
