// SPDX-License-Identifier: MIT
/* Desired state → kernel, mark-and-sweep per object kind; see reconcile.h.
 * Order: namespaces, then veth pairs (both ends must exist before anything
 * is configured on them), then per namespace sysctls, addresses, rules,
 * routes and the nftables table, and last the namespaces nobody wants. */
#include "dataplane/reconcile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile/compile.h"
#include "compile/desired.h"
#include "dataplane/conntrack.h"
#include "dataplane/memo.h"
#include "dataplane/netns.h"
#include "dataplane/nft.h"
#include "dataplane/nft_diff.h"
#include "dataplane/nl.h"
#include "util/cidr.h"
#include "util/log.h"
#include "util/xalloc.h"

#define RT_MAIN 254

struct pass {
	const struct dp_desired *d;
	struct reconcile_stats st;
	struct dp_memo *memo;       /* NULL: remember nothing, trust nothing */
	bool full;                  /* read everything back from the kernel */
	unsigned long long *spec;   /* dp_spec_hash() of each desired namespace */
	unsigned *errors;           /* errors of each desired namespace */
	unsigned long long *listed; /* what the memo is to keep as its listing hash */
};

static const char *ns_label(const char *name)
{
	return name[0] ? name : "host";
}

static void failed(struct pass *p, const char *ns, const char *op, const char *obj, int r,
		   const char *kerr)
{
	p->st.errors++;
	log_warnx("reconcile", "ns=%s op=%s obj=%s err=\"%s\"%s%s%s", ns_label(ns), op, obj,
		  strerror(r < 0 ? -r : r), kerr && *kerr ? " kernel=\"" : "",
		  kerr && *kerr ? kerr : "", kerr && *kerr ? "\"" : "");
}

static int open_nl(struct pass *p, const char *ns, struct nl **ret)
{
	int r = nl_open(ns[0] ? ns : NULL, ret);
	if (r < 0)
		failed(p, ns, "nl_open", "-", r, NULL);
	return r;
}

static bool trusted(const struct pass *p, size_t i);

static void ensure_namespaces(struct pass *p)
{
	for (size_t i = 0; i < p->d->n_ns; i++) {
		const char *name = p->d->ns[i].name;
		/* A trusted namespace was there when last applied; one deleted
		 * by hand since is the periodic pass's to heal. */
		if (!name[0] || trusted(p, i) || netns_exists(name))
			continue;
		int r = netns_add(name);
		dp_memo_forget(p->memo, name); /* a new namespace is configured in full */
		if (r < 0 && r != -EEXIST)
			failed(p, name, "netns_add", name, r, NULL);
		else {
			p->st.changes++;
			log_info("reconcile", "ns=%s op=netns_add", name);
		}
	}
}

/* Internet hosts of `internet exec --from` are ours but not the store's. */
static bool is_internet_host(const char *prefix, const char *name)
{
	size_t n = strlen(prefix);
	return !strncmp(name, prefix, n) && !strncmp(name + n, "-x", 2);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The namespaces to look at for removal: on the periodic pass all of ours
 * under /run/netns; on an API call's pass only those the memo says were
 * applied (a readdir and a lookup per namespace cost 2 ms at 1,000
 * instances), leaving strays of an earlier run to the periodic pass. */
static int sweep_candidates(const struct pass *p, char ***ret, size_t *n)
{
	char pfx[32];
	snprintf(pfx, sizeof(pfx), "%s-", p->d->prefix);
	if (p->full)
		return netns_list(pfx, ret, n);
	size_t m = dp_memo_count(p->memo);
	char **v = calloc(m + 1, sizeof(*v));
	if (!v)
		abort();
	*n = 0;
	for (size_t i = 0; i < m; i++) {
		const char *name = dp_memo_name(p->memo, i);
		if (!strncmp(name, pfx, strlen(pfx)) && !(v[(*n)++] = strdup(name)))
			abort();
	}
	*ret = v;
	return 0;
}

static void sweep_namespaces(struct pass *p)
{
	char **names = NULL;
	size_t n = 0;
	if (sweep_candidates(p, &names, &n) < 0)
		return;
	/* Desired names sorted, so each lookup is a binary search. */
	const char **want = calloc(p->d->n_ns + 1, sizeof(*want));
	if (!want)
		abort();
	for (size_t i = 0; i < p->d->n_ns; i++)
		want[i] = p->d->ns[i].name;
	qsort(want, p->d->n_ns, sizeof(*want), cmp_name);
	for (size_t i = 0; i < n; i++) {
		const char *key = names[i];
		if (bsearch(&key, want, p->d->n_ns, sizeof(*want), cmp_name) ||
		    is_internet_host(p->d->prefix, names[i]))
			continue;
		nft_forget(names[i]); /* its socket would keep the namespace alive */
		int r = netns_del(names[i]);
		dp_memo_forget(p->memo, names[i]);
		if (r < 0 && r != -ENOENT)
			failed(p, names[i], "netns_del", names[i], r, NULL);
		else {
			p->st.changes++;
			log_info("reconcile", "ns=%s op=netns_del", names[i]);
		}
	}
	netns_list_free(names, n);
	free(want);
}

static bool peer_exists(const char *peer_ns, const char *peer)
{
	struct nl *nl;
	struct nl_link l;
	if (nl_open(peer_ns[0] ? peer_ns : NULL, &nl) < 0)
		return false;
	bool ok = nl_link_get(nl, peer, &l) == 0;
	nl_close(nl);
	return ok;
}

static void configure_peer(struct pass *p, const struct dp_link *l)
{
	struct nl *nl;
	struct nl_link have;
	char err[NL_ERR_MAX] = "";
	if (open_nl(p, l->peer_ns, &nl) < 0)
		return;
	if (nl_link_get(nl, l->peer, &have) == 0) {
		if (l->has_peer_mac && memcmp(have.mac, l->peer_mac, 6)) {
			int r = nl_link_set_mac(nl, l->peer, l->peer_mac, err);
			if (r < 0)
				failed(p, l->peer_ns, "link_set_mac", l->peer, r, err);
			else
				p->st.changes++;
		}
		if (!have.is_up) {
			int r = nl_link_set_up(nl, l->peer, err);
			if (r < 0)
				failed(p, l->peer_ns, "link_set_up", l->peer, r, err);
			else
				p->st.changes++;
		}
	}
	nl_close(nl);
}

static void ensure_link(struct pass *p, const struct dp_ns *ns, struct nl *nl,
			const struct dp_link *l)
{
	struct nl_link have;
	char err[NL_ERR_MAX] = "";
	bool here = nl_link_get(nl, l->name, &have) == 0;
	bool there = peer_exists(l->peer_ns, l->peer);
	int r;

	if (!(here && there)) {
		/* Half a pair is useless (its namespace was deleted by hand):
		 * remove what is left and build the pair again. */
		if (here && (r = nl_link_del(nl, l->name, err)) < 0)
			failed(p, ns->name, "link_del", l->name, r, err);
		if (there && !here) {
			struct nl *pn;
			if (open_nl(p, l->peer_ns, &pn) == 0) {
				if ((r = nl_link_del(pn, l->peer, err)) < 0)
					failed(p, l->peer_ns, "link_del", l->peer, r, err);
				nl_close(pn);
			}
		}
		int fd = l->peer_ns[0] ? netns_open(l->peer_ns)
				       : open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd < 0 && !l->peer_ns[0])
			fd = -errno;
		if (fd < 0) {
			failed(p, l->peer_ns, "netns_open", l->peer_ns, fd, NULL);
			return;
		}
		r = nl_link_add_veth(nl, l->name, l->peer, fd, err);
		close(fd);
		if (r < 0) {
			failed(p, ns->name, "link_add_veth", l->name, r, err);
			return;
		}
		p->st.changes++;
		log_info("reconcile", "ns=%s op=link_add obj=%s peer=%s/%s", ns_label(ns->name),
			 l->name, ns_label(l->peer_ns), l->peer);
		if (nl_link_get(nl, l->name, &have) < 0)
			return;
	}
	if (!have.is_up) {
		if ((r = nl_link_set_up(nl, l->name, err)) < 0)
			failed(p, ns->name, "link_set_up", l->name, r, err);
		else
			p->st.changes++;
	}
	configure_peer(p, l);
}

/* Links of ours in a namespace of ours that nobody wants any more. */
static bool link_is_ours(const struct dp_ns *ns, const char *prefix, const char *name)
{
	if (!ns->name[0]) {
		char host[DP_IFNAME_MAX];
		snprintf(host, sizeof(host), "%.8s-h", prefix);
		return !strcmp(name, host);
	}
	switch (ns->kind) {
	case DP_NS_ROUTER: /* ENIs, peerings, the internet gateway */
		return name[0] == 'e' || name[0] == 'p' || !strcmp(name, "igw0");
	case DP_NS_INET:
		return name[0] == 'g' || !strcmp(name, "host0");
	case DP_NS_INSTANCE:
	case DP_NS_NATGW:
		return false; /* eth0 lives and dies with its router-side peer */
	}
	return false;
}

static bool link_desired_here(const struct dp_desired *d, const struct dp_ns *ns,
			      const char *name)
{
	for (size_t i = 0; i < ns->n_links; i++)
		if (!strcmp(ns->links[i].name, name))
			return true;
	/* ...or the peer end of a link another namespace owns. */
	for (size_t k = 0; k < d->n_ns; k++)
		for (size_t i = 0; i < d->ns[k].n_links; i++)
			if (!strcmp(d->ns[k].links[i].peer_ns, ns->name) &&
			    !strcmp(d->ns[k].links[i].peer, name))
				return true;
	return false;
}

#define ENI_IPS_MAX 16

/* The addresses a router reaches through link `dev`: its /32 routes in the
 * local table (the ENI's private IPs). */
static size_t eni_ips(struct nl *nl, const char *dev, uint32_t ips[ENI_IPS_MAX])
{
	struct nl_route *rs;
	size_t n, k = 0;
	if (nl_route_list(nl, DP_TABLE_LOCAL_VPC, NL_PROTO_LOCALVPC, &rs, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && k < ENI_IPS_MAX; i++)
		if (rs[i].dst_len == 32 && !strcmp(rs[i].dev, dev))
			ips[k++] = rs[i].dst;
	free(rs);
	return k;
}

/* Checklist 28: a released ENI's IPs may go to a new instance at once; a
 * flow tracked for the old one must not pass as established to the new
 * one, so the router forgets the flows of those IPs — of those alone: a
 * restart, which releases nothing, keeps every flow. */
static void forget_flows(struct pass *p, const struct dp_ns *ns, const uint32_t *ips, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ip[IP4_STR_MAX];
		ip4_format(ips[i], ip);
		int r = conntrack_delete_ip(ns->name, ips[i]);
		if (r < 0)
			failed(p, ns->name, "conntrack_del", ip, r, NULL);
		else
			log_info("reconcile", "ns=%s op=conntrack_del obj=%s entries=%d",
				 ns_label(ns->name), ip, r);
	}
}

static void sweep_links(struct pass *p, const struct dp_ns *ns, struct nl *nl)
{
	struct nl_link *links;
	size_t n;
	char err[NL_ERR_MAX] = "";
	if (nl_link_list(nl, &links, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!link_is_ours(ns, p->d->prefix, links[i].name) ||
		    link_desired_here(p->d, ns, links[i].name))
			continue;
		uint32_t ips[ENI_IPS_MAX];
		size_t n_ips = ns->kind == DP_NS_ROUTER ? eni_ips(nl, links[i].name, ips) : 0;
		int r = nl_link_del(nl, links[i].name, err);
		if (r < 0 && r != -ENODEV)
			failed(p, ns->name, "link_del", links[i].name, r, err);
		else {
			p->st.changes++;
			log_info("reconcile", "ns=%s op=link_del obj=%s", ns_label(ns->name),
				 links[i].name);
			forget_flows(p, ns, ips, n_ips);
		}
	}
	free(links);
}

#define SYSCTL_VALUE_MAX 32

static void ensure_sysctls(struct pass *p, const struct dp_ns *ns)
{
	const char *name = ns->name[0] ? ns->name : NULL;
	size_t n = ns->n_sysctls;
	if (!n)
		return;
	/* All of them read in one visit; only those that differ are set. */
	const char **paths = xcalloc(n, sizeof(*paths));
	char *have = xcalloc(n, SYSCTL_VALUE_MAX);
	int *rc = xcalloc(n, sizeof(*rc));
	for (size_t i = 0; i < n; i++)
		paths[i] = ns->sysctls[i].path;
	if (netns_sysctl_get_many(name, paths, n, have, SYSCTL_VALUE_MAX, rc) < 0)
		for (size_t i = 0; i < n; i++)
			rc[i] = -EIO; /* then each set says why */
	for (size_t i = 0; i < n; i++) {
		const struct dp_sysctl *sc = &ns->sysctls[i];
		if (rc[i] == 0 && !strcmp(have + i * SYSCTL_VALUE_MAX, sc->value))
			continue;
		int r = netns_sysctl_set(name, sc->path, sc->value);
		if (r < 0)
			failed(p, ns->name, "sysctl", sc->path, r, NULL);
		else
			p->st.changes++;
	}
	free(paths);
	free(have);
	free(rc);
}

static void ensure_addrs(struct pass *p, const struct dp_ns *ns, struct nl *nl)
{
	char err[NL_ERR_MAX] = "";
	/* Devices that carry desired addresses, each once. */
	for (size_t i = 0; i < ns->n_addrs; i++) {
		const char *dev = ns->addrs[i].dev;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(ns->addrs[k].dev, dev);
		if (seen)
			continue;
		uint32_t *have;
		uint8_t *len;
		size_t n;
		if (nl_addr_list(nl, dev, &have, &len, &n) < 0) {
			failed(p, ns->name, "addr_list", dev, -ENODEV, NULL);
			continue;
		}
		for (size_t k = i; k < ns->n_addrs; k++) {
			const struct dp_addr *a = &ns->addrs[k];
			bool present = false;
			if (strcmp(a->dev, dev))
				continue;
			for (size_t j = 0; j < n && !present; j++)
				present = have[j] == a->addr && len[j] == a->len;
			if (present)
				continue;
			int r = nl_addr_add(nl, dev, a->addr, a->len, err);
			if (r < 0 && r != -EEXIST)
				failed(p, ns->name, "addr_add", dev, r, err);
			else
				p->st.changes++;
		}
		/* Stray addresses go, except on lo (127.0.0.1 is not ours). */
		for (size_t j = 0; j < n && strcmp(dev, "lo"); j++) {
			bool wanted = false;
			for (size_t k = i; k < ns->n_addrs && !wanted; k++)
				wanted = !strcmp(ns->addrs[k].dev, dev) && ns->addrs[k].addr == have[j] &&
					 ns->addrs[k].len == len[j];
			if (wanted)
				continue;
			int r = nl_addr_del(nl, dev, have[j], len[j], err);
			if (r < 0)
				failed(p, ns->name, "addr_del", dev, r, err);
			else
				p->st.changes++;
		}
		free(have);
		free(len);
	}
}

static void to_nl(const struct dp_route *d, struct nl_route *r)
{
	memset(r, 0, sizeof(*r));
	r->table = d->table;
	r->dst = d->dst;
	r->dst_len = d->dst_len;
	r->type = d->type == DP_ROUTE_BLACKHOLE	    ? NL_ROUTE_BLACKHOLE
		  : d->type == DP_ROUTE_UNREACHABLE ? NL_ROUTE_UNREACHABLE
						    : NL_ROUTE_UNICAST;
	r->gateway = d->gateway;
	snprintf(r->dev, sizeof(r->dev), "%s", d->dev);
	r->protocol = NL_PROTO_LOCALVPC;
	r->scope = (d->type == DP_ROUTE_UNICAST && !d->gateway && d->dev[0]) ? 253 : 0;
}

static bool same_route(const struct nl_route *a, const struct nl_route *b)
{
	return a->table == b->table && a->dst == b->dst && a->dst_len == b->dst_len &&
	       a->type == b->type && a->gateway == b->gateway && !strcmp(a->dev, b->dev);
}

static void ensure_routes(struct pass *p, const struct dp_ns *ns, struct nl *nl)
{
	struct nl_route *have;
	size_t n;
	char err[NL_ERR_MAX] = "", hostdev[DP_IFNAME_MAX];
	snprintf(hostdev, sizeof(hostdev), "%.8s-h", p->d->prefix);
	if (nl_route_list(nl, 0, NL_PROTO_LOCALVPC, &have, &n) < 0) {
		failed(p, ns->name, "route_list", "-", -EIO, NULL);
		return;
	}
	for (size_t i = 0; i < ns->n_routes; i++) {
		struct nl_route want;
		bool present = false;
		to_nl(&ns->routes[i], &want);
		for (size_t k = 0; k < n && !present; k++)
			present = same_route(&have[k], &want);
		if (present)
			continue;
		int r = nl_route_replace(nl, &want, err);
		if (r < 0)
			failed(p, ns->name, "route_replace", want.dev[0] ? want.dev : "-", r, err);
		else
			p->st.changes++;
	}
	for (size_t k = 0; k < n; k++) {
		bool wanted = false;
		/* In the host's namespace another daemon's routes use the same
		 * protocol: only those through our own link are ours. */
		if (!ns->name[0] && strcmp(have[k].dev, hostdev))
			continue;
		/* Internet hosts (`internet exec --from`, links x…) are not the
		 * store's: their routes are made by the CLI and kept. */
		if (ns->kind == DP_NS_INET && ns->name[0] && have[k].dev[0] == 'x')
			continue;
		for (size_t i = 0; i < ns->n_routes && !wanted; i++) {
			struct nl_route want;
			to_nl(&ns->routes[i], &want);
			wanted = same_route(&have[k], &want);
		}
		if (wanted)
			continue;
		int r = nl_route_del(nl, &have[k], err);
		if (r < 0 && r != -ESRCH)
			failed(p, ns->name, "route_del", have[k].dev[0] ? have[k].dev : "-", r, err);
		else
			p->st.changes++;
	}
	free(have);
}

static bool same_rule(const struct nl_rule *a, const struct dp_rule *b)
{
	return a->priority == b->priority && a->fwmark == b->fwmark && a->fwmask == b->fwmask &&
	       a->dst == b->dst && a->dst_len == b->dst_len && a->table == b->table;
}

static void ensure_rules(struct pass *p, const struct dp_ns *ns, struct nl *nl)
{
	struct nl_rule *have;
	size_t n;
	char err[NL_ERR_MAX] = "";
	if (!ns->name[0])
		return; /* never touch the host's policy routing */
	if (nl_rule_list(nl, DP_RULE_PRIO_MIN, DP_RULE_PRIO_MAX, &have, &n) < 0) {
		failed(p, ns->name, "rule_list", "-", -EIO, NULL);
		return;
	}
	for (size_t i = 0; i < ns->n_rules; i++) {
		bool present = false;
		for (size_t k = 0; k < n && !present; k++)
			present = same_rule(&have[k], &ns->rules[i]);
		if (present)
			continue;
		struct nl_rule r = {
			.priority = ns->rules[i].priority, .fwmark = ns->rules[i].fwmark,
			.fwmask = ns->rules[i].fwmask,     .dst = ns->rules[i].dst,
			.dst_len = ns->rules[i].dst_len,   .table = ns->rules[i].table,
		};
		int e = nl_rule_add(nl, &r, err);
		if (e < 0 && e != -EEXIST)
			failed(p, ns->name, "rule_add", "-", e, err);
		else
			p->st.changes++;
	}
	for (size_t k = 0; k < n; k++) {
		bool wanted = false;
		for (size_t i = 0; i < ns->n_rules && !wanted; i++)
			wanted = same_rule(&have[k], &ns->rules[i]);
		if (wanted)
			continue;
		int e = nl_rule_del(nl, &have[k], err);
		if (e < 0)
			failed(p, ns->name, "rule_del", "-", e, err);
		else
			p->st.changes++;
	}
	free(have);
}

/* Which text a table holds, without parsing it back: the element of a
 * one-element set, swapped in the same batch as any change. */
static void marker(unsigned long long hash, char out[24])
{
	snprintf(out, 24, "\"h%014llx\"", hash & 0xffffffffffffffull); /* IFNAMSIZ */
}

static int reload_nft(struct pass *p, const struct dp_ns *ns, unsigned long long hash)
{
	const char *name = ns->name[0] ? ns->name : NULL;
	char mark[24], err[1024] = "";
	const char *brace = strchr(ns->nft, '{');
	if (!brace)
		return -EINVAL;
	marker(hash, mark);
	size_t size = strlen(ns->nft) + 512;
	char *text = malloc(size);
	if (!text)
		abort();
	/* One batch: the old table goes and the new one comes atomically. */
	snprintf(text, size,
		 "add table inet %s\ndelete table inet %s\n%.*s{\n"
		 "\tset lvhash {\n\t\ttype ifname\n\t\telements = { %s }\n\t}\n%s",
		 p->d->prefix, p->d->prefix, (int)(brace - ns->nft), ns->nft, mark, brace + 1);
	int r = nft_run(name, text, err, sizeof(err));
	free(text);
	if (r < 0)
		failed(p, ns->name, "nft", p->d->prefix, r, err);
	return r;
}

/* Runs element changes (nft_diff's) in table of namespace ns (NULL: here)
 * in one batch with the marker's swap from text hash old to hash. */
static int run_patch(const char *ns, const char *table, const char *diff, unsigned long long old,
		     unsigned long long hash, char *err, size_t err_size)
{
	char from[24], to[24];
	marker(old, from);
	marker(hash, to);
	size_t size = strlen(diff) + 256;
	char *text = xmalloc(size);
	snprintf(text, size, "%sdelete element %s lvhash { %s }\nadd element %s lvhash { %s }\n",
		 diff, table, from, table, to);
	int r = nft_run(ns, text, err, err_size);
	free(text);
	return r;
}

/* The element changes from the table the kernel holds (old_text, hash
 * old) to ns->nft; false when only a reload will do. */
static bool patch_nft(struct pass *p, const struct dp_ns *ns, const char *old_text,
		      unsigned long long old, unsigned long long hash)
{
	char table[32], err[1024] = "";
	snprintf(table, sizeof(table), "inet %s", p->d->prefix);
	char *diff = nft_diff(table, old_text, ns->nft);
	if (!diff)
		return false;
	int r = run_patch(ns->name[0] ? ns->name : NULL, table, diff, old, hash, err, sizeof(err));
	free(diff);
	if (r < 0)
		log_warnx("reconcile", "ns=%s op=nft_patch err=\"%s\" msg=\"reloading instead\"",
			  ns_label(ns->name), err);
	return r == 0;
}

int reconcile_edit_elements(struct dp_memo *memo, const char *prefix, const char *ns,
			    const char *old_part, const char *new_part)
{
	const struct dp_memo_ns *m = dp_memo_get(memo, ns);
	char table[32], err[1024] = "";
	if (!m || !m->nft_text)
		return -ENOENT;
	snprintf(table, sizeof(table), "inet %s", prefix);
	char *diff = nft_diff(table, old_part, new_part);
	char *text = diff ? nft_text_edit(m->nft_text, old_part, new_part) : NULL;
	if (!text) {
		free(diff);
		return -EINVAL;
	}
	int r = 0;
	if (*diff) {
		unsigned long long hash = dp_text_hash(text), spec = m->spec;
		r = run_patch(ns, table, diff, m->nft, hash, err, sizeof(err));
		if (r < 0)
			log_warnx("reconcile", "ns=%s op=nft_edit err=\"%s\"", ns_label(ns), err);
		else {
			dp_memo_take(memo, ns, spec, text, hash);
			text = NULL;
		}
	}
	free(diff);
	free(text);
	return r;
}

/* The table holds the marker of the text wanted: true when it is also as
 * it was listed after that text was applied (then *listed is its listing
 * hash), false when a hand changed it since (memo.h). */
static bool listing_intact(const struct dp_memo_ns *m, unsigned long long hash,
			   const char *have, unsigned long long *listed)
{
	unsigned long long h = dp_listing_hash(have);
	/* Not read back since applied (or since the daemon started): this
	 * listing is the one to hold the kernel to from now on. */
	if (!m || m->nft != hash || !m->listed || m->listed == h) {
		*listed = h;
		return true;
	}
	return false;
}

/* The listing of a table just applied, to hold the kernel to from now on
 * (0, for the next periodic pass to take, when it cannot be read). */
static unsigned long long read_back(struct pass *p, const struct dp_ns *ns,
				    unsigned long long hash)
{
	char want[24], *have = NULL;
	unsigned long long h = 0;
	marker(hash, want);
	if (nft_list_table(ns->name[0] ? ns->name : NULL, "inet", p->d->prefix, &have) == 0 &&
	    strstr(have, want))
		h = dp_listing_hash(have);
	free(have);
	return h;
}

static void ensure_nft(struct pass *p, const struct dp_ns *ns, unsigned long long *listed)
{
	const char *name = ns->name[0] ? ns->name : NULL;
	const struct dp_memo_ns *m = dp_memo_get(p->memo, ns->name);
	char want[24], mark[24];
	if (!ns->nft)
		return;
	unsigned long long hash = dp_text_hash(ns->nft);
	/* What the kernel holds: trusted from the memo, or read back. */
	bool holds_memo = m && m->nft_text;
	*listed = m && m->nft == hash ? m->listed : 0;
	if (!p->full && m && m->nft == hash)
		return;
	if (p->full) {
		char *have = NULL;
		marker(hash, want);
		bool listed_ok = nft_list_table(name, "inet", p->d->prefix, &have) == 0;
		if (listed_ok && strstr(have, want)) {
			bool intact = listing_intact(m, hash, have, listed);
			free(have);
			if (intact)
				return;
			/* Changed by hand under an intact marker: what it holds
			 * is unknown, so no patch, a whole reload. */
			log_info("reconcile", "ns=%s op=nft_check msg=\"table changed by hand\"",
				 ns_label(ns->name));
			*listed = 0;
			if (reload_nft(p, ns, hash) == 0) {
				p->st.changes++;
				*listed = read_back(p, ns, hash);
			}
			return;
		}
		if (holds_memo) {
			marker(m->nft, mark);
			holds_memo = listed_ok && strstr(have, mark);
		}
		free(have);
	}
	*listed = 0;
	if ((holds_memo && patch_nft(p, ns, m->nft_text, m->nft, hash)) ||
	    reload_nft(p, ns, hash) == 0) {
		p->st.changes++;
		/* Reading a big table back costs more than changing it (a
		 * router of 1,000 ENIs): an API call's pass leaves it to the
		 * next periodic pass, which takes the listing as the one to
		 * hold the kernel to (listing_intact). */
		*listed = p->full ? read_back(p, ns, hash) : 0;
	}
}

/* Unchanged since last applied without error, and this pass may trust that. */
static bool trusted(const struct pass *p, size_t i)
{
	const struct dp_memo_ns *m = dp_memo_get(p->memo, p->d->ns[i].name);
	return !p->full && m && m->spec == p->spec[i];
}

static void configure_ns(struct pass *p, const struct dp_ns *ns)
{
	struct nl *nl;
	char err[NL_ERR_MAX] = "";
	if (open_nl(p, ns->name, &nl) < 0)
		return;
	if (ns->name[0]) {
		struct nl_link lo;
		if (nl_link_get(nl, "lo", &lo) == 0 && !lo.is_up && nl_link_set_up(nl, "lo", err) == 0)
			p->st.changes++;
	}
	ensure_sysctls(p, ns);
	ensure_addrs(p, ns, nl);
	/* Rules first: the kernel checks a route's gateway by a lookup through
	 * the rules (a route table's 0.0.0.0/0 via a NAT instance or gateway
	 * resolves in the VPC's local table), so in a namespace built afresh
	 * the routes would fail until the next pass. */
	ensure_rules(p, ns, nl);
	ensure_routes(p, ns, nl);
	nl_close(nl);
}

int reconcile_apply(const struct dp_desired *d, struct dp_memo *memo, bool full,
		    struct reconcile_stats *ret)
{
	struct pass p = { .d = d, .memo = memo, .full = full || !memo };
	p.spec = calloc(d->n_ns + 1, sizeof(*p.spec));
	p.errors = calloc(d->n_ns + 1, sizeof(*p.errors));
	p.listed = calloc(d->n_ns + 1, sizeof(*p.listed));
	if (!p.spec || !p.errors || !p.listed)
		abort();
	for (size_t i = 0; i < d->n_ns; i++)
		p.spec[i] = dp_spec_hash(&d->ns[i]);
	nft_prune(); /* no kept nft context outlives its namespace's name */
	ensure_namespaces(&p);
	for (size_t i = 0; i < d->n_ns; i++) {
		struct nl *nl;
		unsigned before = p.st.errors;
		if (trusted(&p, i) || open_nl(&p, d->ns[i].name, &nl) < 0)
			continue;
		for (size_t k = 0; k < d->ns[i].n_links; k++)
			ensure_link(&p, &d->ns[i], nl, &d->ns[i].links[k]);
		sweep_links(&p, &d->ns[i], nl);
		nl_close(nl);
		p.errors[i] += p.st.errors - before;
	}
	for (size_t i = 0; i < d->n_ns; i++) {
		unsigned before = p.st.errors;
		if (!trusted(&p, i))
			configure_ns(&p, &d->ns[i]);
		ensure_nft(&p, &d->ns[i], &p.listed[i]);
		p.errors[i] += p.st.errors - before;
	}
	sweep_namespaces(&p);
	/* Remember only what is known to be in the kernel. */
	for (size_t i = 0; memo && i < d->n_ns; i++) {
		if (p.errors[i])
			dp_memo_forget(memo, d->ns[i].name);
		else {
			dp_memo_put(memo, d->ns[i].name, p.spec[i], d->ns[i].nft);
			dp_memo_set_listed(memo, d->ns[i].name, p.listed[i]);
		}
	}
	free(p.spec);
	free(p.errors);
	free(p.listed);
	if (ret)
		*ret = p.st;
	return p.st.errors ? -EAGAIN : 0;
}

int reconcile_teardown(const char *prefix)
{
	char **names = NULL, pfx[32], host[DP_IFNAME_MAX], err[NL_ERR_MAX] = "";
	size_t n = 0;
	int rc = 0;
	snprintf(pfx, sizeof(pfx), "%s-", prefix);
	if (netns_list(pfx, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			nft_forget(names[i]);
			int r = netns_del(names[i]);
			if (r < 0 && r != -ENOENT) {
				log_warn("reset", r, "op=netns_del ns=%s", names[i]);
				rc = r;
			}
		}
		netns_list_free(names, n);
	}
	struct nl *nl;
	snprintf(host, sizeof(host), "%.8s-h", prefix);
	if (nl_open(NULL, &nl) == 0) {
		int r = nl_link_del(nl, host, err);
		if (r < 0 && r != -ENODEV) {
			log_warn("reset", r, "op=link_del obj=%s kernel=\"%s\"", host, err);
			rc = r;
		}
		nl_close(nl);
	}
	char cmd[64], nerr[512] = "";
	char *have = NULL;
	if (nft_list_table(NULL, "inet", prefix, &have) == 0) {
		snprintf(cmd, sizeof(cmd), "delete table inet %s", prefix);
		int r = nft_run(NULL, cmd, nerr, sizeof(nerr));
		if (r < 0) {
			log_warn("reset", r, "op=nft_delete table=%s err=\"%s\"", prefix, nerr);
			rc = r;
		}
	}
	free(have);
	return rc;
}
