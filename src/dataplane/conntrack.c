// SPDX-License-Identifier: MIT
/* Conntrack deletion by IP; see conntrack.h.  A dump of the table, then
 * one IPCTNL_MSG_CT_DELETE per matching entry with its original tuple
 * copied as the kernel gave it (an entry already gone meanwhile answers
 * ENOENT, which is what we wanted). */
#include "dataplane/conntrack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dataplane/netns.h"
#include "util/xalloc.h"

#define CT_BUF_SIZE (1 << 16)
#define CT_TUPLE_MAX 256 /* a CTA_TUPLE_ORIG nest is under 100 bytes */

struct victim {
	uint16_t len;
	uint8_t tuple[CT_TUPLE_MAX]; /* the CTA_TUPLE_ORIG payload */
	uint16_t zone;               /* network order, when has_zone */
	bool has_zone;
};

struct dump {
	uint32_t ip; /* network order */
	struct victim *v;
	size_t n, cap;
};

static struct nlmsghdr *ct_header(char *buf, uint8_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

/* The attributes from start up to end; mnl_attr_for_each*() cast const
 * away, which -Wcast-qual refuses (as in nl.c). */
#define EACH_ATTR(a, start, end)                                                              \
	for (const struct nlattr *a = (const struct nlattr *)(const void *)(start);            \
	     mnl_attr_ok(a, (int)((const char *)(end) - (const char *)a)); a = mnl_attr_next(a))

static const char *nest_end(const struct nlattr *t)
{
	return (const char *)mnl_attr_get_payload(t) + mnl_attr_get_payload_len(t);
}

/* Whether the tuple nest `t` (CTA_TUPLE_*) names ip as source or destination. */
static bool tuple_has(const struct nlattr *t, uint32_t ip)
{
	EACH_ATTR(a, mnl_attr_get_payload(t), nest_end(t)) {
		if (mnl_attr_get_type(a) != CTA_TUPLE_IP)
			continue;
		EACH_ATTR(b, mnl_attr_get_payload(a), nest_end(a)) {
			uint16_t type = mnl_attr_get_type(b);
			if ((type == CTA_IP_V4_SRC || type == CTA_IP_V4_DST) &&
			    mnl_attr_get_payload_len(b) == 4 &&
			    !memcmp(mnl_attr_get_payload(b), &ip, 4))
				return true;
		}
	}
	return false;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const struct nlattr *orig = NULL, *reply = NULL, *zone = NULL;
	EACH_ATTR(a, mnl_nlmsg_get_payload_offset(nlh, sizeof(struct nfgenmsg)),
		  (const char *)nlh + MNL_ALIGN(nlh->nlmsg_len)) {
		switch (mnl_attr_get_type(a)) {
		case CTA_TUPLE_ORIG: orig = a; break;
		case CTA_TUPLE_REPLY: reply = a; break;
		case CTA_ZONE: zone = a; break;
		default: break;
		}
	}
	if (!orig || mnl_attr_get_payload_len(orig) > CT_TUPLE_MAX)
		return MNL_CB_OK;
	if (!tuple_has(orig, d->ip) && !(reply && tuple_has(reply, d->ip)))
		return MNL_CB_OK;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->v = xrealloc_array(d->v, d->cap, sizeof(*d->v));
	}
	struct victim *v = &d->v[d->n++];
	v->len = mnl_attr_get_payload_len(orig);
	memcpy(v->tuple, mnl_attr_get_payload(orig), v->len);
	v->has_zone = zone && mnl_attr_get_payload_len(zone) == 2;
	if (v->has_zone)
		memcpy(&v->zone, mnl_attr_get_payload(zone), 2);
	return MNL_CB_OK;
}

/* Runs one request to its end (NLMSG_DONE or the ACK); cb sees each reply. */
static int talk(struct mnl_socket *s, char *buf, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	uint32_t portid = mnl_socket_get_portid(s), seq = nlh->nlmsg_seq;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s, buf, CT_BUF_SIZE);
		if (n < 0)
			return -errno;
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (r < 0)
			return -errno;
		if (r == MNL_CB_STOP)
			return 0;
	}
}

int conntrack_delete_ip(const char *netns, uint32_t ip)
{
	int fd = netns_socket(netns, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (fd < 0)
		return fd;
	struct mnl_socket *s = mnl_socket_fdopen(fd);
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	int r;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(s);
		return r;
	}
	char *buf = xmalloc(CT_BUF_SIZE);
	uint32_t seq = (uint32_t)time(NULL);
	struct dump d = { .ip = htonl(ip) };
	/* Collect first, delete after: deleting during a dump may skip
	 * entries of the bucket being walked. */
	r = talk(s, buf, ct_header(buf, IPCTNL_MSG_CT_GET, NLM_F_DUMP, seq++), entry_cb, &d);
	int deleted = 0;
	for (size_t i = 0; r == 0 && i < d.n; i++) {
		struct nlmsghdr *nlh = ct_header(buf, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, seq++);
		mnl_attr_put(nlh, CTA_TUPLE_ORIG | NLA_F_NESTED, d.v[i].len, d.v[i].tuple);
		if (d.v[i].has_zone)
			mnl_attr_put(nlh, CTA_ZONE, 2, &d.v[i].zone);
		int e = talk(s, buf, nlh, NULL, NULL);
		if (e == 0)
			deleted++;
		else if (e != -ENOENT)
			r = e;
	}
	free(d.v);
	free(buf);
	mnl_socket_close(s);
	return r < 0 ? r : deleted;
}
