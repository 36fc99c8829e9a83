// SPDX-License-Identifier: MIT
/* The VPC Flow Logs collector; see nflog.h.  NFLOG over raw nfnetlink with
 * libmnl's message builders; one thread polls every router's socket and
 * ends capture windows; nflog_update() swaps the bindings under the lock. */
#include "dataplane/nflog.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compile/flowlog.h"
#include "dataplane/netns.h"
#include "model/flow_log.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ROUTERS_MAX 256
#define BUCKETS 4096
#define AGGS_MAX 200000 /* per daemon; past it a window's new flows are skipped */
#define POLL_MS 250
#define IFCACHE 64
#define DRAIN_MAX 4096 /* messages per router per wake-up: the others wait */

struct sink { /* one flow log */
	char id[ID_MAX];
	enum fl_traffic traffic;
	enum fl_dest dest;
	char *dir; /* where its files go */
	enum fl_field fields[FL_FORMAT_FIELDS_MAX];
	size_t n_fields;
	unsigned interval_s;
	time_t window_start;
};

struct bind {
	size_t router;
	char ifname[IFNAMSIZ];
	char eni_id[ID_MAX];
	char sink_id[ID_MAX];
};

struct router {
	char name[DP_NAME_MAX];
	ino_t ino;
	int fd;     /* NFLOG */
	int ioc_fd; /* AF_INET, for SIOCGIFNAME inside the namespace */
	struct {
		int index;
		char name[IFNAMSIZ];
	} cache[IFCACHE];
	size_t n_cache;
};

struct agg {
	struct agg *next;
	char sink_id[ID_MAX];
	char eni_id[ID_MAX];
	uint32_t src, dst; /* network order */
	uint16_t sport, dport;
	bool has_ports;
	uint8_t proto;
	bool is_accept;
	uint64_t packets, bytes;
	time_t start, end;
};

struct nflog {
	struct nflog_settings s;
	char *state_dir, *account_id, *region;
	pthread_mutex_t lock;
	pthread_t thread;
	bool stop;
	struct sink *sinks;
	size_t n_sinks;
	struct bind *binds;
	size_t n_binds;
	struct router routers[ROUTERS_MAX];
	size_t n_routers;
	struct agg *buckets[BUCKETS];
	size_t n_aggs;
	unsigned file_seq;
};

/* Writing records */

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void field(FILE *f, const struct nflog *c, const struct agg *a, enum fl_field x)
{
	char ip[INET_ADDRSTRLEN];
	switch (x) {
	case FL_F_VERSION: fputs("2", f); break;
	case FL_F_ACCOUNT_ID: fputs(c->account_id, f); break;
	case FL_F_INTERFACE_ID: fputs(a->eni_id, f); break;
	case FL_F_SRCADDR: fputs(inet_ntop(AF_INET, &a->src, ip, sizeof(ip)), f); break;
	case FL_F_DSTADDR: fputs(inet_ntop(AF_INET, &a->dst, ip, sizeof(ip)), f); break;
	case FL_F_SRCPORT:
	case FL_F_DSTPORT:
		/* AWS: ICMP shows 0 0; a port that cannot be read is "-". */
		if (a->has_ports)
			fprintf(f, "%u", x == FL_F_SRCPORT ? a->sport : a->dport);
		else
			fputs(a->proto == IPPROTO_ICMP ? "0" : "-", f);
		break;
	case FL_F_PROTOCOL: fprintf(f, "%u", a->proto); break;
	case FL_F_PACKETS: fprintf(f, "%" PRIu64, a->packets); break;
	case FL_F_BYTES: fprintf(f, "%" PRIu64, a->bytes); break;
	case FL_F_START: fprintf(f, "%lld", (long long)a->start); break;
	case FL_F_END: fprintf(f, "%lld", (long long)a->end); break;
	case FL_F_ACTION: fputs(a->is_accept ? "ACCEPT" : "REJECT", f); break;
	case FL_F_LOG_STATUS: fputs("OK", f); break;
	case FL_F_COUNT: break;
	}
}

static void record(FILE *f, const struct nflog *c, const struct sink *s, const struct agg *a)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		if (i)
			fputc(' ', f);
		field(f, c, a, s->fields[i]);
	}
	fputc('\n', f);
}

static FILE *open_append(const char *dir, const char *name)
{
	char path[PATH_MAX];
	if (mkdir_p(dir) < 0 || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "a");
	if (!f)
		close(fd);
	return f;
}

/* S3: one object per delivery, named as AWS names it, under
 * AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/, starting with
 * the header line of the format's field names. */
static FILE *open_s3(struct nflog *c, const struct sink *s, time_t now)
{
	struct tm tm;
	char day[16], stamp[32], dir[PATH_MAX], name[256];
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y/%m/%d", &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%MZ", &tm);
	unsigned h = 2166136261u;
	char seed[96];
	snprintf(seed, sizeof(seed), "%s/%lld/%u", s->id, (long long)now, c->file_seq++);
	for (const char *p = seed; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	if (snprintf(dir, sizeof(dir), "%s/%s", s->dir, day) >= (int)sizeof(dir))
		return NULL;
	snprintf(name, sizeof(name), "%s_vpcflowlogs_%s_%s_%s_%08x.log", c->account_id, c->region,
		 s->id, stamp, h);
	FILE *f = open_append(dir, name);
	if (!f)
		return NULL;
	for (size_t i = 0; i < s->n_fields; i++)
		fprintf(f, "%s%s", i ? " " : "", fl_field_name(s->fields[i]));
	fputc('\n', f);
	return f;
}

/* Writes out and forgets every aggregate of sink s. */
static void flush_sink(struct nflog *c, const struct sink *s, time_t now)
{
	FILE *s3 = NULL;
	size_t n = 0;
	for (size_t b = 0; b < BUCKETS; b++) {
		struct agg **pp = &c->buckets[b];
		while (*pp) {
			struct agg *a = *pp;
			if (strcmp(a->sink_id, s->id)) {
				pp = &a->next;
				continue;
			}
			FILE *f = NULL;
			if (s->dest == FL_DEST_S3) {
				if (!s3)
					s3 = open_s3(c, s, now);
				f = s3;
			} else {
				char stream[ID_MAX + 8];
				snprintf(stream, sizeof(stream), "%s-all", a->eni_id);
				f = open_append(s->dir, stream);
			}
			if (f)
				record(f, c, s, a);
			else
				log_warnx("nflog", "flow_log=%s op=write msg=\"cannot open\"", s->id);
			if (f && f != s3)
				fclose(f);
			*pp = a->next;
			free(a);
			c->n_aggs--;
			n++;
		}
	}
	if (s3)
		fclose(s3);
	if (n)
		log_debug("nflog", "flow_log=%s op=deliver records=%zu", s->id, n);
}

/* Aggregating packets */

static unsigned key_hash(const char *sink, const char *eni, uint32_t src, uint32_t dst,
			 uint16_t sp, uint16_t dp, uint8_t proto, bool acc)
{
	unsigned h = 2166136261u;
	for (const char *p = sink; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (const char *p = eni; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	uint32_t w[4] = { src, dst, ((uint32_t)sp << 16) | dp, ((uint32_t)proto << 1) | acc };
	for (size_t i = 0; i < 4; i++)
		h = (h ^ w[i]) * 16777619u;
	return h % BUCKETS;
}

struct pkt {
	uint32_t src, dst;
	uint16_t sport, dport;
	bool has_ports;
	uint8_t proto;
	uint32_t bytes;
};

static void aggregate(struct nflog *c, const char *sink, const char *eni, const struct pkt *p,
		      bool is_accept, time_t now)
{
	unsigned h = key_hash(sink, eni, p->src, p->dst, p->sport, p->dport, p->proto, is_accept);
	for (struct agg *a = c->buckets[h]; a; a = a->next)
		if (!strcmp(a->sink_id, sink) && !strcmp(a->eni_id, eni) && a->src == p->src &&
		    a->dst == p->dst && a->sport == p->sport && a->dport == p->dport &&
		    a->proto == p->proto && a->is_accept == is_accept &&
		    a->has_ports == p->has_ports) {
			a->packets++;
			a->bytes += p->bytes;
			a->end = now;
			return;
		}
	if (c->n_aggs >= AGGS_MAX)
		return; /* AWS's SKIPDATA: capacity exceeded for this window */
	struct agg *a = xcalloc(1, sizeof(*a));
	snprintf(a->sink_id, sizeof(a->sink_id), "%s", sink);
	snprintf(a->eni_id, sizeof(a->eni_id), "%s", eni);
	a->src = p->src;
	a->dst = p->dst;
	a->sport = p->sport;
	a->dport = p->dport;
	a->has_ports = p->has_ports;
	a->proto = p->proto;
	a->is_accept = is_accept;
	a->packets = 1;
	a->bytes = p->bytes;
	a->start = a->end = now;
	a->next = c->buckets[h];
	c->buckets[h] = a;
	c->n_aggs++;
}

static int parse_ip(const uint8_t *d, size_t n, struct pkt *p)
{
	if (n < 20 || (d[0] >> 4) != 4)
		return -EINVAL;
	size_t ihl = (size_t)(d[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > n)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->bytes = ((uint32_t)d[2] << 8) | d[3]; /* AWS: bytes of the IP packets */
	p->proto = d[9];
	memcpy(&p->src, d + 12, 4);
	memcpy(&p->dst, d + 16, 4);
	bool first_fragment = (((uint32_t)(d[6] & 0x1f) << 8) | d[7]) == 0;
	if (first_fragment && n >= ihl + 4 &&
	    (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP || p->proto == IPPROTO_SCTP)) {
		p->sport = (uint16_t)((d[ihl] << 8) | d[ihl + 1]);
		p->dport = (uint16_t)((d[ihl + 2] << 8) | d[ihl + 3]);
		p->has_ports = true;
	}
	return 0;
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, NFULA_MAX) > 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static const char *ifname_of(struct router *r, int index)
{
	for (size_t i = 0; i < r->n_cache; i++)
		if (r->cache[i].index == index)
			return r->cache[i].name;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = index;
	if (r->ioc_fd < 0 || ioctl(r->ioc_fd, SIOCGIFNAME, &ifr) < 0)
		return NULL;
	size_t k = r->n_cache < IFCACHE ? r->n_cache++ : (size_t)index % IFCACHE;
	r->cache[k].index = index;
	snprintf(r->cache[k].name, sizeof(r->cache[k].name), "%s", ifr.ifr_name);
	return r->cache[k].name;
}

struct packet_ctx {
	struct nflog *c;
	size_t router;
	time_t now;
};

static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct packet_ctx *x = data;
	struct nflog *c = x->c;
	const struct nlattr *tb[NFULA_MAX + 1] = { 0 };
	if ((nlh->nlmsg_type & 0xff) != NFULNL_MSG_PACKET ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, tb) < 0)
		return MNL_CB_OK;
	if (!tb[NFULA_PREFIX] || !tb[NFULA_PAYLOAD])
		return MNL_CB_OK;
	/* "lvfl A i": the verdict and the end of the packet it belongs to. */
	const char *prefix = mnl_attr_get_str(tb[NFULA_PREFIX]);
	size_t plen = strlen(FL_PREFIX);
	if (strncmp(prefix, FL_PREFIX, plen) || strlen(prefix) < plen + 3)
		return MNL_CB_OK;
	bool is_accept = prefix[plen] == 'A';
	int attr = prefix[plen + 2] == 'i' ? NFULA_IFINDEX_INDEV : NFULA_IFINDEX_OUTDEV;
	if (!tb[attr])
		return MNL_CB_OK;
	int index = (int)ntohl(mnl_attr_get_u32(tb[attr]));
	struct pkt p;
	if (parse_ip(mnl_attr_get_payload(tb[NFULA_PAYLOAD]),
		     mnl_attr_get_payload_len(tb[NFULA_PAYLOAD]), &p) < 0)
		return MNL_CB_OK;
	const char *dev = ifname_of(&c->routers[x->router], index);
	if (!dev)
		return MNL_CB_OK;
	for (size_t i = 0; i < c->n_binds; i++) {
		const struct bind *b = &c->binds[i];
		if (b->router != x->router || strcmp(b->ifname, dev))
			continue;
		for (size_t k = 0; k < c->n_sinks; k++) {
			const struct sink *s = &c->sinks[k];
			if (!strcmp(s->id, b->sink_id) &&
			    (s->traffic == FL_TRAFFIC_ALL ||
			     (s->traffic == FL_TRAFFIC_ACCEPT) == is_accept))
				aggregate(c, s->id, b->eni_id, &p, is_accept, x->now);
		}
	}
	return MNL_CB_OK;
}

static void drain(struct nflog *c, size_t router, time_t now)
{
	char buf[1 << 16];
	struct packet_ctx x = { c, router, now };
	for (int i = 0; i < DRAIN_MAX; i++) {
		ssize_t n = recv(c->routers[router].fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS)
			continue; /* the kernel dropped copies: a busy window */
		if (n <= 0)
			return;
		(void)mnl_cb_run(buf, (size_t)n, 0, 0, packet_cb, &x); /* best effort */
	}
}

static void *run(void *arg)
{
	struct nflog *c = arg;
	struct pollfd pfd[ROUTERS_MAX];
	for (;;) {
		size_t n = 0;
		pthread_mutex_lock(&c->lock);
		if (c->stop) {
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		for (size_t i = 0; i < c->n_routers; i++)
			pfd[n++] = (struct pollfd){ .fd = c->routers[i].fd, .events = POLLIN };
		pthread_mutex_unlock(&c->lock);
		(void)poll(pfd, n, POLL_MS); /* an error is a short sleep; the state is rechecked */
		pthread_mutex_lock(&c->lock);
		time_t now = time(NULL);
		for (size_t i = 0; i < c->n_routers; i++)
			drain(c, i, now);
		for (size_t i = 0; i < c->n_sinks; i++) {
			struct sink *s = &c->sinks[i];
			if (now - s->window_start >= (time_t)s->interval_s) {
				flush_sink(c, s, now);
				s->window_start = now;
			}
		}
		pthread_mutex_unlock(&c->lock);
	}
}

/* Sockets */

/* Binds the socket to our group: copies of the packet up to the snap
 * length, one message per packet (queue threshold 1). */
static int bind_group(int fd)
{
	char buf[8192];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(FL_NFLOG_GROUP);
	struct nfulnl_msg_config_cmd cmd = { .command = NFULNL_CFG_CMD_BIND };
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	struct nfulnl_msg_config_mode mode = { .copy_range = htonl(FL_NFLOG_SNAPLEN),
					       .copy_mode = NFULNL_COPY_PACKET };
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(fd, buf, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 2000) <= 0)
		return -ETIMEDOUT;
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)sizeof(struct nlmsghdr))
		return n < 0 ? -errno : -EIO;
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return -EIO; /* fail closed: only an ACK is expected */
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	return e->error;
}

static ino_t ns_inode(const char *ns)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void router_close(struct router *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->ioc_fd >= 0)
		close(r->ioc_fd);
	r->fd = r->ioc_fd = -1;
}

static int router_open(struct router *r, const char *ns)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", ns);
	r->ino = ns_inode(ns);
	r->fd = netns_socket(ns, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	r->ioc_fd = netns_socket(ns, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = r->fd < 0 ? r->fd : r->ioc_fd < 0 ? r->ioc_fd : 0;
	if (!rc) {
		int size = 1 << 20;
		(void)setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)); /* best effort */
		rc = bind_group(r->fd);
	}
	if (rc < 0) {
		if (r->fd < 0)
			r->fd = -1;
		if (r->ioc_fd < 0)
			r->ioc_fd = -1;
		router_close(r);
	}
	return rc;
}

/* Life cycle */

int nflog_new(const struct nflog_settings *s, struct nflog **ret)
{
	struct nflog *c = xcalloc(1, sizeof(*c));
	c->s = *s;
	c->state_dir = xstrdup(s->state_dir);
	c->account_id = xstrdup(s->account_id);
	c->region = xstrdup(s->region);
	pthread_mutex_init(&c->lock, NULL);
	int r = pthread_create(&c->thread, NULL, run, c);
	if (r) {
		pthread_mutex_destroy(&c->lock);
		free(c->state_dir);
		free(c->account_id);
		free(c->region);
		free(c);
		return -r;
	}
	*ret = c;
	return 0;
}

static char *sink_dir(const struct nflog *c, const struct flow_log *f)
{
	char path[PATH_MAX];
	if (f->dest_type == FL_DEST_S3) {
		size_t blen;
		const char *prefix;
		if (fl_s3_parse(f->log_destination, &blen, &prefix) < 0)
			return NULL;
		const char *bucket = f->log_destination + strlen("arn:aws:s3:::");
		snprintf(path, sizeof(path), "%s/flow-logs/s3/%.*s%s%s/AWSLogs/%s/vpcflowlogs/%s",
			 c->state_dir, (int)blen, bucket, prefix[0] ? "/" : "", prefix,
			 c->account_id, c->region);
	} else {
		if (!fl_log_group_valid(f->log_group))
			return NULL;
		snprintf(path, sizeof(path), "%s/flow-logs/cloudwatch/%s", c->state_dir,
			 f->log_group);
	}
	return xstrdup(path);
}

static struct sink *find_sink(struct sink *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

int nflog_update(struct nflog *c, const struct dp_flow_binding *v, size_t n)
{
	int rc = 0;
	time_t now = time(NULL);
	struct sink *sinks = xcalloc(n + 1, sizeof(*sinks));
	struct bind *binds = xcalloc(n + 1, sizeof(*binds));
	size_t n_sinks = 0, n_binds = 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < n; i++) {
		const struct flow_log *f = v[i].fl;
		if (find_sink(sinks, n_sinks, f->head.id))
			continue;
		struct sink *s = &sinks[n_sinks];
		size_t bad;
		if (fl_format_parse(f->log_format, s->fields, &s->n_fields, &bad) < 0 ||
		    !(s->dir = sink_dir(c, f)))
			continue; /* the API admits neither */
		snprintf(s->id, sizeof(s->id), "%s", f->head.id);
		s->traffic = f->traffic;
		s->dest = f->dest_type;
		s->interval_s = c->s.interval_s ? c->s.interval_s : (unsigned)f->max_interval_s;
		const struct sink *old = find_sink(c->sinks, c->n_sinks, s->id);
		s->window_start = old ? old->window_start : now;
		n_sinks++;
	}
	/* Flow logs that are gone: what they captured is written now, and
	 * nothing after. */
	for (size_t i = 0; i < c->n_sinks; i++) {
		if (!find_sink(sinks, n_sinks, c->sinks[i].id))
			flush_sink(c, &c->sinks[i], now);
		free(c->sinks[i].dir);
	}
	free(c->sinks);
	c->sinks = sinks;
	c->n_sinks = n_sinks;

	/* Routers: keep those still wanted (and not recreated), open the new. */
	struct router keep[ROUTERS_MAX];
	size_t n_keep = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < n_keep && !seen; k++)
			seen = !strcmp(keep[k].name, v[i].netns);
		if (seen || n_keep == ROUTERS_MAX)
			continue;
		struct router *old = NULL;
		for (size_t k = 0; k < c->n_routers && !old; k++)
			if (!strcmp(c->routers[k].name, v[i].netns) && c->routers[k].fd >= 0)
				old = &c->routers[k];
		if (old && old->ino == ns_inode(v[i].netns)) {
			keep[n_keep] = *old;
			keep[n_keep++].n_cache = 0; /* interfaces may have been recreated */
			old->fd = old->ioc_fd = -1;
			continue;
		}
		int r = router_open(&keep[n_keep], v[i].netns);
		if (r < 0) {
			log_warn("nflog", r, "netns=%s op=bind group=%d", v[i].netns,
				 FL_NFLOG_GROUP);
			rc = -EAGAIN;
			continue;
		}
		n_keep++;
	}
	for (size_t i = 0; i < c->n_routers; i++)
		router_close(&c->routers[i]);
	memcpy(c->routers, keep, n_keep * sizeof(keep[0]));
	c->n_routers = n_keep;

	for (size_t i = 0; i < n; i++) {
		size_t r = SIZE_MAX;
		for (size_t k = 0; k < c->n_routers && r == SIZE_MAX; k++)
			if (!strcmp(c->routers[k].name, v[i].netns))
				r = k;
		if (r == SIZE_MAX || !find_sink(c->sinks, c->n_sinks, v[i].fl->head.id))
			continue;
		struct bind *b = &binds[n_binds++];
		b->router = r;
		snprintf(b->ifname, sizeof(b->ifname), "%s", v[i].ifname);
		snprintf(b->eni_id, sizeof(b->eni_id), "%s", v[i].eni_id);
		snprintf(b->sink_id, sizeof(b->sink_id), "%s", v[i].fl->head.id);
	}
	free(c->binds);
	c->binds = binds;
	c->n_binds = n_binds;
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void nflog_free(struct nflog *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	time_t now = time(NULL);
	for (size_t i = 0; i < c->n_sinks; i++) {
		flush_sink(c, &c->sinks[i], now);
		free(c->sinks[i].dir);
	}
	for (size_t b = 0; b < BUCKETS; b++)
		while (c->buckets[b]) {
			struct agg *a = c->buckets[b];
			c->buckets[b] = a->next;
			free(a);
		}
	for (size_t i = 0; i < c->n_routers; i++)
		router_close(&c->routers[i]);
	free(c->sinks);
	free(c->binds);
	free(c->state_dir);
	free(c->account_id);
	free(c->region);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
