// SPDX-License-Identifier: MIT
/* rtnetlink over libmnl; see nl.h.  Every request carries NLM_F_ACK and a
 * fresh sequence number; the reply's error (and the kernel's extended-ACK
 * text) is what the caller gets. */
#include "dataplane/nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dataplane/netns.h"
#include "util/xalloc.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char *buf; /* MNL_SOCKET_BUFFER_SIZE */
};

int nl_open(const char *netns, struct nl **ret)
{
	int fd = netns_socket(netns, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	struct nl *nl = xcalloc(1, sizeof(*nl));
	nl->sock = mnl_socket_fdopen(fd);
	if (!nl->sock) {
		close(fd);
		free(nl);
		return -ENOMEM;
	}
	int one = 1;
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int r = -errno;
		mnl_socket_close(nl->sock);
		free(nl);
		return r;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	nl->buf = xmalloc(MNL_SOCKET_BUFFER_SIZE);
	*ret = nl;
	return 0;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

/* What one exchange hands the callbacks: the dump callback and its data,
 * and where the kernel's extended-ACK text goes. */
struct talk_ctx {
	mnl_cb_t cb;
	void *data;
	char *err;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct talk_ctx *t = data;
	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* The error of an ACK, with the kernel's extended-ACK message copied out. */
static int err_cb(const struct nlmsghdr *nlh, void *data)
{
	char *err = ((const struct talk_ctx *)data)->err;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return MNL_CB_ERROR;
	if (err && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		size_t off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		/* mnl_attr_for_each() casts const away; walk the TLVs by hand. */
		size_t start = MNL_NLMSG_HDRLEN + MNL_ALIGN(off);
		const char *base = (const char *)nlh;
		while (start + sizeof(struct nlattr) <= nlh->nlmsg_len) {
			const struct nlattr *attr = (const void *)(base + start);
			int left = (int)(nlh->nlmsg_len - start);
			if (!mnl_attr_ok(attr, left))
				break;
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(err, NL_ERR_MAX, "%s", mnl_attr_get_str(attr));
			start += MNL_ALIGN(attr->nla_len);
		}
	}
	if (e->error) {
		errno = -e->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	errno = ENOSPC;
	return MNL_CB_ERROR;
}

/* Measured: with a control array, libmnl leaves types it has no entry for
 * unhandled (a dump's NLMSG_DONE would never end the loop): set them all. */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = err_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = overrun_cb,
};

/* Sends nlh and runs cb over the replies until the ACK or DONE. */
static int talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, char *err)
{
	nlh->nlmsg_seq = ++nl->seq;
	/* Dumps end with NLMSG_DONE; an ACK after it would be left in the
	 * socket for the next exchange to trip over. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (err)
		err[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, MNL_SOCKET_BUFFER_SIZE);
		if (n < 0)
			return -errno;
		struct talk_ctx t = { .cb = cb, .data = data, .err = err };
		errno = 0;
		int r = mnl_cb_run2(nl->buf, (size_t)n, nl->seq, nl->portid, data_cb, &t, ctl_cbs,
				    NLMSG_MIN_TYPE);
		if (r == MNL_CB_ERROR)
			return errno ? -errno : -EIO;
		if (r == MNL_CB_STOP)
			return 0;
	}
}

struct dump {
	void *v;
	size_t n, cap, size;
	const void *filter;
	char *err;
};

static void *dump_push(struct dump *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc_array(d->v, d->cap, d->size);
	}
	void *p = (char *)d->v + d->n * d->size;
	memset(p, 0, d->size);
	d->n++;
	return p;
}

static int ifindex_of(struct nl *nl, const char *name)
{
	struct nl_link l;
	int r = nl_link_get(nl, name, &l);
	return r < 0 ? r : l.ifindex;
}

/* ---- links ---- */

struct link_attrs {
	const struct nlattr *tb[IFLA_MAX + 1];
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_attrs *la = data;
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, IFLA_MAX) > 0)
		la->tb[type] = attr;
	return MNL_CB_OK;
}

static int kind_cb(const struct nlattr *attr, void *data)
{
	char *kind = data;
	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_STRING) == 0)
		snprintf(kind, 16, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link_attrs la;
	memset(&la, 0, sizeof(la));
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, &la);
	if (!la.tb[IFLA_IFNAME])
		return MNL_CB_OK;
	struct nl_link *l = dump_push(d);
	snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(la.tb[IFLA_IFNAME]));
	l->ifindex = ifm->ifi_index;
	l->is_up = ifm->ifi_flags & IFF_UP;
	if (la.tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(la.tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(la.tb[IFLA_ADDRESS]), 6);
	if (la.tb[IFLA_LINKINFO])
		mnl_attr_parse_nested(la.tb[IFLA_LINKINFO], kind_cb, l->kind);
	return MNL_CB_OK;
}

int nl_link_list(struct nl *nl, struct nl_link **ret, size_t *ret_n)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	struct dump d = { .size = sizeof(struct nl_link) };
	int r = talk(nl, nlh, link_cb, &d, NULL);
	if (r < 0) {
		free(d.v);
		return r;
	}
	*ret = d.v;
	*ret_n = d.n;
	return 0;
}

int nl_link_get(struct nl *nl, const char *name, struct nl_link *ret)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct dump d = { .size = sizeof(struct nl_link) };
	int r = talk(nl, nlh, link_cb, &d, NULL);
	if (r == 0 && d.n == 1)
		*ret = *(struct nl_link *)d.v;
	else if (r == 0)
		r = -ENODEV;
	free(d.v);
	return r == -ENODEV || r == -ENOENT ? -ENODEV : r;
}

int nl_link_add_veth(struct nl *nl, const char *name, const char *peer, int peer_netns_fd,
		     char err[NL_ERR_MAX])
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *p = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	struct ifinfomsg *pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return talk(nl, nlh, NULL, NULL, err);
}

static int link_change(struct nl *nl, const char *name, int type, unsigned flags,
		       unsigned change, const uint8_t *mac, const char *new_name, char *err)
{
	int idx = ifindex_of(nl, name);
	if (idx < 0)
		return idx;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = idx;
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	if (new_name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
	return talk(nl, nlh, NULL, NULL, err);
}

int nl_link_del(struct nl *nl, const char *name, char err[NL_ERR_MAX])
{
	return link_change(nl, name, RTM_DELLINK, 0, 0, NULL, NULL, err);
}

int nl_link_set_up(struct nl *nl, const char *name, char err[NL_ERR_MAX])
{
	return link_change(nl, name, RTM_NEWLINK, IFF_UP, IFF_UP, NULL, NULL, err);
}

int nl_link_set_mac(struct nl *nl, const char *name, const uint8_t mac[6], char err[NL_ERR_MAX])
{
	return link_change(nl, name, RTM_NEWLINK, 0, 0, mac, NULL, err);
}

int nl_link_rename(struct nl *nl, const char *name, const char *new_name, char err[NL_ERR_MAX])
{
	return link_change(nl, name, RTM_NEWLINK, 0, 0, NULL, new_name, err);
}

/* ---- addresses ---- */

struct addr_filter {
	int ifindex;
};

struct addr_row {
	uint32_t addr;
	uint8_t len;
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	if (mnl_attr_type_valid(attr, IFA_MAX) > 0)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct addr_filter *f = d->filter;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	if (ifa->ifa_family != AF_INET || (int)ifa->ifa_index != f->ifindex)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != 4)
		return MNL_CB_OK;
	struct addr_row *row = dump_push(d);
	row->addr = ntohl(mnl_attr_get_u32(a));
	row->len = ifa->ifa_prefixlen;
	return MNL_CB_OK;
}

int nl_addr_list(struct nl *nl, const char *dev, uint32_t **ret_addr, uint8_t **ret_len,
		 size_t *ret_n)
{
	int idx = ifindex_of(nl, dev);
	if (idx < 0)
		return idx;
	struct addr_filter f = { idx };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	struct dump d = { .size = sizeof(struct addr_row), .filter = &f };
	int r = talk(nl, nlh, addr_cb, &d, NULL);
	if (r < 0) {
		free(d.v);
		return r;
	}
	uint32_t *addrs = xcalloc(d.n + 1, sizeof(*addrs));
	uint8_t *lens = xcalloc(d.n + 1, sizeof(*lens));
	for (size_t i = 0; i < d.n; i++) {
		addrs[i] = ((struct addr_row *)d.v)[i].addr;
		lens[i] = ((struct addr_row *)d.v)[i].len;
	}
	free(d.v);
	*ret_addr = addrs;
	*ret_len = lens;
	*ret_n = d.n;
	return 0;
}

static int addr_change(struct nl *nl, int type, const char *dev, uint32_t addr, uint8_t len,
		       char *err)
{
	int idx = ifindex_of(nl, dev);
	if (idx < 0)
		return idx;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = len;
	ifa->ifa_index = (unsigned)idx;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	uint32_t a = htonl(addr);
	mnl_attr_put_u32(nlh, IFA_LOCAL, a);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, a);
	return talk(nl, nlh, NULL, NULL, err);
}

int nl_addr_add(struct nl *nl, const char *dev, uint32_t addr, uint8_t len, char err[NL_ERR_MAX])
{
	return addr_change(nl, RTM_NEWADDR, dev, addr, len, err);
}

int nl_addr_del(struct nl *nl, const char *dev, uint32_t addr, uint8_t len, char err[NL_ERR_MAX])
{
	return addr_change(nl, RTM_DELADDR, dev, addr, len, err);
}

/* ---- routes ---- */

struct route_filter {
	uint32_t table;
	uint8_t protocol;
	struct nl *nl;
	struct nl_link *links;
	size_t n_links;
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	if (mnl_attr_type_valid(attr, RTA_MAX) > 0)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct route_filter *f = d->filter;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	if (rtm->rtm_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb);
	uint32_t table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if ((f->table && table != f->table) || (f->protocol && rtm->rtm_protocol != f->protocol))
		return MNL_CB_OK;
	if (rtm->rtm_type != RTN_UNICAST && rtm->rtm_type != RTN_BLACKHOLE &&
	    rtm->rtm_type != RTN_UNREACHABLE)
		return MNL_CB_OK;
	struct nl_route *r = dump_push(d);
	r->table = table;
	r->dst_len = rtm->rtm_dst_len;
	r->dst = tb[RTA_DST] ? ntohl(mnl_attr_get_u32(tb[RTA_DST])) : 0;
	r->type = rtm->rtm_type == RTN_BLACKHOLE     ? NL_ROUTE_BLACKHOLE
		  : rtm->rtm_type == RTN_UNREACHABLE ? NL_ROUTE_UNREACHABLE
						     : NL_ROUTE_UNICAST;
	r->gateway = tb[RTA_GATEWAY] ? ntohl(mnl_attr_get_u32(tb[RTA_GATEWAY])) : 0;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	if (tb[RTA_OIF]) {
		int idx = (int)mnl_attr_get_u32(tb[RTA_OIF]);
		for (size_t i = 0; i < f->n_links; i++)
			if (f->links[i].ifindex == idx)
				snprintf(r->dev, sizeof(r->dev), "%s", f->links[i].name);
	}
	return MNL_CB_OK;
}

int nl_route_list(struct nl *nl, uint32_t table, uint8_t protocol, struct nl_route **ret,
		  size_t *ret_n)
{
	struct route_filter f = { .table = table, .protocol = protocol, .nl = nl };
	int r = nl_link_list(nl, &f.links, &f.n_links);
	if (r < 0)
		return r;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	struct dump d = { .size = sizeof(struct nl_route), .filter = &f };
	r = talk(nl, nlh, route_cb, &d, NULL);
	free(f.links);
	if (r < 0) {
		free(d.v);
		return r;
	}
	*ret = d.v;
	*ret_n = d.n;
	return 0;
}

static int route_change(struct nl *nl, int type, unsigned flags, const struct nl_route *r,
			char *err)
{
	int idx = 0;
	if (r->dev[0] && (idx = ifindex_of(nl, r->dev)) < 0)
		return idx;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol ? r->protocol : NL_PROTO_LOCALVPC;
	rtm->rtm_scope = r->scope;
	rtm->rtm_type = r->type == NL_ROUTE_BLACKHOLE	  ? RTN_BLACKHOLE
			: r->type == NL_ROUTE_UNREACHABLE ? RTN_UNREACHABLE
							  : RTN_UNICAST;
	if (type == RTM_DELROUTE)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	if (r->dst_len)
		mnl_attr_put_u32(nlh, RTA_DST, htonl(r->dst));
	if (r->gateway)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(r->gateway));
	if (idx)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)idx);
	return talk(nl, nlh, NULL, NULL, err);
}

int nl_route_replace(struct nl *nl, const struct nl_route *r, char err[NL_ERR_MAX])
{
	return route_change(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r, err);
}

int nl_route_del(struct nl *nl, const struct nl_route *r, char err[NL_ERR_MAX])
{
	return route_change(nl, RTM_DELROUTE, 0, r, err);
}

/* ---- rules ---- */

struct rule_filter {
	uint32_t lo, hi;
};

static int rule_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	if (mnl_attr_type_valid(attr, FRA_MAX) > 0)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct rule_filter *f = d->filter;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[FRA_MAX + 1] = { 0 };
	if (frh->family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*frh), rule_attr_cb, tb);
	uint32_t prio = tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
	if (prio < f->lo || prio > f->hi)
		return MNL_CB_OK;
	struct nl_rule *r = dump_push(d);
	r->priority = prio;
	r->fwmark = tb[FRA_FWMARK] ? mnl_attr_get_u32(tb[FRA_FWMARK]) : 0;
	r->fwmask = tb[FRA_FWMASK] ? mnl_attr_get_u32(tb[FRA_FWMASK]) : 0;
	if (!r->fwmark && r->fwmask == 0xffffffff)
		r->fwmask = 0;
	r->dst_len = frh->dst_len;
	r->dst = tb[FRA_DST] ? ntohl(mnl_attr_get_u32(tb[FRA_DST])) : 0;
	r->table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
	return MNL_CB_OK;
}

int nl_rule_list(struct nl *nl, uint32_t prio_min, uint32_t prio_max, struct nl_rule **ret,
		 size_t *ret_n)
{
	struct rule_filter f = { prio_min, prio_max };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	struct dump d = { .size = sizeof(struct nl_rule), .filter = &f };
	int r = talk(nl, nlh, rule_cb, &d, NULL);
	if (r < 0) {
		free(d.v);
		return r;
	}
	*ret = d.v;
	*ret_n = d.n;
	return 0;
}

static int rule_change(struct nl *nl, int type, const struct nl_rule *r, char *err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | (type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = FR_ACT_TO_TBL;
	frh->dst_len = r->dst_len;
	frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->priority);
	mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	if (r->fwmark || r->fwmask) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, r->fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, r->fwmask);
	}
	if (r->dst_len)
		mnl_attr_put_u32(nlh, FRA_DST, htonl(r->dst));
	return talk(nl, nlh, NULL, NULL, err);
}

int nl_rule_add(struct nl *nl, const struct nl_rule *r, char err[NL_ERR_MAX])
{
	return rule_change(nl, RTM_NEWRULE, r, err);
}

int nl_rule_del(struct nl *nl, const struct nl_rule *r, char err[NL_ERR_MAX])
{
	return rule_change(nl, RTM_DELRULE, r, err);
}
