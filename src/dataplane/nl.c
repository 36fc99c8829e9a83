// SPDX-License-Identifier: MIT
/* rtnetlink over libmnl; see nl.h.  Every request carries NLM_F_ACK and a
 * fresh sequence number; only replies bearing that number answer it, and
 * the reply's error (with the kernel's extended-ACK text) is what the
 * caller gets.  Applies what compile/ decided; never decides anything. */
#include "dataplane/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dataplane/netns.h"
#include "util/xalloc.h"

/* Requests are a few hundred bytes.  Replies: the kernel sizes a dump's
 * messages after the largest buffer we ever passed to recvmsg(), up to
 * 32 KiB, and truncates (MSG_TRUNC, which libmnl reports as ENOSPC) what
 * does not fit; iproute2 reads with 32 KiB for the same reason. */
#define NL_BUF_SIZE 32768

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char *buf; /* NL_BUF_SIZE: one request out, then its replies in */
};

int nl_open(const char *netns, struct nl **ret)
{
	int fd, one = 1, r;
	struct nl *nl;

	fd = netns_socket(netns, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	nl = xcalloc(1, sizeof(*nl));
	nl->sock = mnl_socket_fdopen(fd);
	if (!nl->sock) {
		r = -errno;
		close(fd);
		free(nl);
		return r ? r : -ENOMEM;
	}
	/* Best effort, as iproute2: without them (kernels before 4.12) errors
	 * still arrive, only without the kernel's text. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Errors need not echo our request back. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl->sock);
		free(nl);
		return r;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	nl->buf = xmalloc(NL_BUF_SIZE);
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

static bool ifname_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n > 0 && n < NL_IFNAME_MAX;
}

/* Copies NLMSGERR_ATTR_MSG from the TLVs that start `off` bytes into the
 * payload of an NLMSG_ERROR or NLMSG_DONE. */
static void copy_ext_ack(const struct nlmsghdr *nlh, size_t off, char *err)
{
	const char *base = (const char *)nlh;
	size_t at = MNL_NLMSG_HDRLEN + MNL_ALIGN(off);

	if (!err || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* mnl_attr_for_each() casts const away; walk the TLVs by hand. */
	while (at + sizeof(struct nlattr) <= nlh->nlmsg_len) {
		const struct nlattr *attr = (const void *)(base + at);
		if (!mnl_attr_ok(attr, (int)(nlh->nlmsg_len - at)))
			break;
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			(void)snprintf(err, NL_ERR_MAX, "%s", mnl_attr_get_str(attr)); /* may cut */
		at += MNL_ALIGN(attr->nla_len);
	}
}

/* An NLMSG_ERROR: 0 for an ACK, -errno for an error. */
static int error_msg(const struct nlmsghdr *nlh, char *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	/* Uncapped, the request itself follows the header it echoes. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > sizeof(e->msg))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	copy_ext_ack(nlh, off, err);
	if (e->error > 0)
		return -EBADMSG;
	return e->error;
}

/* An NLMSG_DONE ends a dump; it carries the dump's error, 0 when whole. */
static int done_msg(const struct nlmsghdr *nlh, char *err)
{
	int e;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return 0; /* old kernels sent no payload */
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	copy_ext_ack(nlh, sizeof(e), err);
	return e > 0 ? -EBADMSG : e;
}

/* Sends nlh with NLM_F_ACK and the next sequence number, and hands every
 * data message of the answer to cb (NULL: none expected) until the ACK, the
 * error or a dump's NLMSG_DONE.  Returns 0 or -errno.
 *
 * A reply we cannot use does not end the exchange early: the rest of the
 * answer is read and dropped, so the socket stays in step.  Measured: a
 * dump left unread blocks the socket, the next dump request failing with
 * EBUSY until the old one has been read to its end.  Only a failed recv()
 * leaves an answer unread; later exchanges skip what is left of it, and a
 * caller that sees a dump fail with -EBUSY reopens the handle. */
static int talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, char *err)
{
	const bool is_dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int r = 0, e;
	ssize_t n;

	nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (err)
		err[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ENOSPC)
				return -errno;
			/* MSG_TRUNC: that message is lost, the rest follows. */
			r = r ? r : -EMSGSIZE;
			continue;
		}
		const struct nlmsghdr *m = (const struct nlmsghdr *)nl->buf;
		int left = (int)n;
		for (; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			/* Leftovers of an exchange that ended early (recv
			 * failed) answer an older number: skip them. */
			if (m->nlmsg_seq != nl->seq)
				continue;
			if (m->nlmsg_pid != nl->portid) {
				r = r ? r : -EPROTO;
				continue;
			}
			switch (m->nlmsg_type) {
			case NLMSG_NOOP:
				break;
			case NLMSG_ERROR:
				/* Measured: the kernel never ACKs a dump request
				 * (it returns -EINTR inside to skip the ACK), so
				 * for a dump this is always an error. */
				e = error_msg(m, err);
				return r ? r : e;
			case NLMSG_DONE:
				e = is_dump ? done_msg(m, err) : -EPROTO;
				return r ? r : e;
			case NLMSG_OVERRUN:
				r = r ? r : -ENOBUFS;
				break;
			default:
				/* Fail closed (STYLE §3): an unexpected type, or
				 * one the callback refuses, fails the request. */
				if (m->nlmsg_type < NLMSG_MIN_TYPE || !cb)
					r = r ? r : -EPROTO;
				else if (!r && cb(m, data) < MNL_CB_OK)
					r = -EPROTO;
				break;
			}
		}
		if (left != 0)
			r = r ? r : -EBADMSG; /* a truncated message */
	}
}

/* An array grown by the dump callbacks. */
struct dump {
	void *v;
	size_t n, cap, size;
	const void *filter;
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

/* Fills tb[type] for the attributes of known type whose length suits it;
 * anything else the kernel sends is ignored, never trusted. */
struct attrs {
	const struct nlattr **tb;
	int max;
	const enum mnl_attr_data_type *types; /* per type; MNL_TYPE_UNSPEC: unchecked */
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct attrs *a = data;
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, (uint16_t)a->max) <= 0)
		return MNL_CB_OK;
	if (a->types[type] != MNL_TYPE_UNSPEC && mnl_attr_validate(attr, a->types[type]) < 0)
		return MNL_CB_OK;
	a->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_attrs(const struct nlmsghdr *nlh, size_t hdr_size, const struct nlattr **tb,
			int max, const enum mnl_attr_data_type *types)
{
	struct attrs a = { tb, max, types };
	/* attr_cb never stops the walk; a malformed tail just ends it. */
	(void)mnl_attr_parse(nlh, (unsigned)hdr_size, attr_cb, &a);
}

/* ---- links ---- */

static const enum mnl_attr_data_type link_types[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING,
	[IFLA_LINKINFO] = MNL_TYPE_NESTED,
};

static int kind_cb(const struct nlattr *attr, void *data)
{
	char *kind = data;
	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		(void)snprintf(kind, sizeof(((struct nl_link *)0)->kind), "%s",
			       mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_ERROR;
	parse_attrs(nlh, sizeof(*ifm), tb, IFLA_MAX, link_types);
	if (!tb[IFLA_IFNAME])
		return MNL_CB_OK;
	struct nl_link *l = dump_push(d);
	(void)snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	l->ifindex = ifm->ifi_index;
	l->is_up = ifm->ifi_flags & IFF_UP;
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_LINKINFO])
		(void)mnl_attr_parse_nested(tb[IFLA_LINKINFO], kind_cb, l->kind);
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
	if (!ifname_ok(name))
		return -EINVAL;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	/* Skip the statistics: the reply stays small. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	struct dump d = { .size = sizeof(struct nl_link) };
	int r = talk(nl, nlh, link_cb, &d, NULL);
	if (r == 0 && d.n == 1)
		*ret = *(struct nl_link *)d.v;
	else if (r == 0)
		r = -EPROTO; /* a get answers with exactly one link */
	free(d.v);
	/* Measured: an unknown name is -ENODEV. */
	return r == -ENOENT ? -ENODEV : r;
}

int nl_link_add_veth(struct nl *nl, const char *name, const char *peer, int peer_netns_fd,
		     char err[NL_ERR_MAX])
{
	if (!ifname_ok(name) || !ifname_ok(peer))
		return -EINVAL;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* VETH_INFO_PEER holds a whole ifinfomsg and the peer's attributes. */
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
	if (new_name && !ifname_ok(new_name))
		return -EINVAL;
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

struct addr_row {
	uint32_t addr;
	uint8_t len;
};

static const enum mnl_attr_data_type addr_types[IFA_MAX + 1] = {
	[IFA_LOCAL] = MNL_TYPE_U32,
	[IFA_ADDRESS] = MNL_TYPE_U32,
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const int *ifindex = d->filter;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_ERROR;
	if (ifa->ifa_family != AF_INET || (int)ifa->ifa_index != *ifindex)
		return MNL_CB_OK;
	parse_attrs(nlh, sizeof(*ifa), tb, IFA_MAX, addr_types);
	/* IFA_LOCAL is the address; IFA_ADDRESS the peer's on point-to-point. */
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a)
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
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	/* The kernel dumps one device's addresses only for a strict request
	 * (NETLINK_GET_STRICT_CHK, Linux 4.20): otherwise a router of 1,000
	 * ENIs, each with its gateway address, sends all 1,000 for each
	 * device, a million a pass (perf: inet_dump_addr, 18 % of a periodic
	 * pass).  Strict for this request only; addr_cb filters either way. */
	int fd = mnl_socket_get_fd(nl->sock), on = 1, off = 0;
	bool strict = setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof(on)) == 0;
	if (strict)
		ifa->ifa_index = (unsigned)idx;
	struct dump d = { .size = sizeof(struct addr_row), .filter = &idx };
	int r = talk(nl, nlh, addr_cb, &d, NULL);
	if (strict)
		(void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &off, sizeof(off));
	if (r < 0) {
		free(d.v);
		return r;
	}
	/* +1: never a zero-byte allocation, so an empty list is still non-NULL. */
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
	if (len > 32)
		return -EINVAL;
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
	uint32_t table; /* 0: any */
	uint8_t protocol; /* 0: any */
	const struct nl_link *links; /* to name RTA_OIF */
	size_t n_links;
};

static const enum mnl_attr_data_type route_types[RTA_MAX + 1] = {
	[RTA_TABLE] = MNL_TYPE_U32,
	[RTA_DST] = MNL_TYPE_U32,
	[RTA_GATEWAY] = MNL_TYPE_U32,
	[RTA_OIF] = MNL_TYPE_U32,
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct route_filter *f = d->filter;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_ERROR;
	if (rtm->rtm_family != AF_INET || (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	parse_attrs(nlh, sizeof(*rtm), tb, RTA_MAX, route_types);
	/* Tables above 255 exist only in RTA_TABLE (rtm_table = RT_TABLE_COMPAT). */
	uint32_t table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if ((f->table && table != f->table) || (f->protocol && rtm->rtm_protocol != f->protocol))
		return MNL_CB_OK;
	if (rtm->rtm_type != RTN_UNICAST && rtm->rtm_type != RTN_BLACKHOLE &&
	    rtm->rtm_type != RTN_UNREACHABLE)
		return MNL_CB_OK; /* local, broadcast, …: the kernel's own */
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
				memcpy(r->dev, f->links[i].name, sizeof(r->dev));
	}
	return MNL_CB_OK;
}

int nl_route_list(struct nl *nl, uint32_t table, uint8_t protocol, struct nl_route **ret,
		  size_t *ret_n)
{
	struct nl_link *links = NULL;
	size_t n_links = 0;
	/* Names of RTA_OIF as this namespace knows them (if_indextoname()
	 * would ask the caller's namespace). */
	int r = nl_link_list(nl, &links, &n_links);
	if (r < 0)
		return r;
	struct route_filter f = { table, protocol, links, n_links };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	struct dump d = { .size = sizeof(struct nl_route), .filter = &f };
	r = talk(nl, nlh, route_cb, &d, NULL);
	free(links);
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
	if (r->dst_len > 32)
		return -EINVAL;
	if (r->dev[0] && (idx = ifindex_of(nl, r->dev)) < 0)
		return idx;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->dst_len;
	/* As iproute2: the 8-bit field for small tables, RT_TABLE_UNSPEC and
	 * the 32-bit RTA_TABLE (which wins when present) for the others. */
	rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol ? r->protocol : NL_PROTO_LOCALVPC;
	rtm->rtm_scope = r->scope;
	rtm->rtm_type = r->type == NL_ROUTE_BLACKHOLE	  ? RTN_BLACKHOLE
			: r->type == NL_ROUTE_UNREACHABLE ? RTN_UNREACHABLE
							  : RTN_UNICAST;
	/* A delete matches any scope; protocol, type, gateway and device, when
	 * given, must match, so only our own route (NL_PROTO_LOCALVPC) goes. */
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

static const enum mnl_attr_data_type rule_types[FRA_MAX + 1] = {
	[FRA_PRIORITY] = MNL_TYPE_U32,
	[FRA_FWMARK] = MNL_TYPE_U32,
	[FRA_FWMASK] = MNL_TYPE_U32,
	[FRA_DST] = MNL_TYPE_U32,
	[FRA_TABLE] = MNL_TYPE_U32,
};

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct rule_filter *f = d->filter;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[FRA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWRULE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*frh))
		return MNL_CB_ERROR;
	if (frh->family != AF_INET)
		return MNL_CB_OK;
	parse_attrs(nlh, sizeof(*frh), tb, FRA_MAX, rule_types);
	uint32_t prio = tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
	if (prio < f->lo || prio > f->hi)
		return MNL_CB_OK;
	struct nl_rule *r = dump_push(d);
	r->priority = prio;
	/* Measured: the kernel reports FRA_FWMASK whenever mark or mask is
	 * non-zero and FRA_FWMARK only when the mark is, so "mark 0/0xff"
	 * (match an unmarked packet) reads back as written. */
	r->fwmark = tb[FRA_FWMARK] ? mnl_attr_get_u32(tb[FRA_FWMARK]) : 0;
	r->fwmask = tb[FRA_FWMASK] ? mnl_attr_get_u32(tb[FRA_FWMASK]) : 0;
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
	if (r->dst_len > 32)
		return -EINVAL;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | (type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = FR_ACT_TO_TBL;
	frh->dst_len = r->dst_len;
	frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	/* A delete matches on every attribute given, so the same message
	 * that added a rule removes exactly that rule. */
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
