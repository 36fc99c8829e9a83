// SPDX-License-Identifier: MIT
/* The builder compile/'s files share while they derive the desired state:
 * namespaces and their links, addresses, routes, rules and sysctls, on the
 * compile's arena.  Internal to compile/.  Pure. */
#ifndef COMPILE_BUILD_H
#define COMPILE_BUILD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compile/compile.h"
#include "util/arena.h"

struct snapshot;

/* One more element of an arena array; returns it. */
#define PUSH(a, arr, n, cap)                                                                       \
	(__extension__({                                                                           \
		ARENA_RESERVE(a, arr, n, cap);                                                     \
		&(arr)[(n)++];                                                                     \
	}))

struct builder {
	struct arena *a;
	const struct snapshot *s;
	const struct compile_settings *cs;
	struct dp_ns *ns;
	size_t n_ns, cap_ns;
	struct dp_instance *inst;
	size_t n_inst, cap_inst;
	struct dp_imds *imds;
	size_t n_imds, cap_imds;
};

struct nsb { /* capacities of one namespace's arrays while building */
	struct dp_ns *ns;
	size_t cap_links, cap_addrs, cap_routes, cap_rules, cap_sysctls;
};

/* The last 8 characters of a resource ID: kernel names are short. */
const char *build_tail8(const char *id);
/* Appends a namespace to the desired state; its arrays grow through nb. */
struct nsb build_ns(struct builder *b, const char *name, enum dp_ns_kind kind);
void build_sysctl(struct builder *b, struct nsb *nb, const char *path, const char *value);
void build_addr(struct builder *b, struct nsb *nb, const char *dev, uint32_t addr, uint8_t len);
struct dp_route *build_route(struct builder *b, struct nsb *nb, uint32_t table, uint32_t dst,
			     uint8_t len, enum dp_route_type type);
void build_rule(struct builder *b, struct nsb *nb, uint32_t prio, uint32_t mark, uint32_t mask,
		uint32_t table);
struct dp_link *build_link(struct builder *b, struct nsb *nb, const char *name, const char *peer,
			   const char *peer_ns);
/* IPv6 off in the namespace (checklist 5). */
void build_no_ipv6(struct builder *b, struct nsb *nb);
/* "0e:00:…" into bytes: 0, or -1 when it is not a MAC. */
int build_parse_mac(const char *s, uint8_t out[6]);

#endif
