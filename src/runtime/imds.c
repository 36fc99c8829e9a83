// SPDX-License-Identifier: MIT
/* Instance metadata service; see imds.h.  One libmicrohttpd daemon per VPC
 * router namespace, each on a socket created inside that namespace. */
#include "runtime/imds.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compile/compile.h"
#include "compile/desired.h"
#include "model/pushed_key.h"
#include "dataplane/netns.h"
#include "util/buf.h"
#include "util/cidr.h"
#include "util/log.h"
#include "util/xalloc.h"

#define LISTENERS_MAX 256
#define TOKEN_TTL_MAX 21600

/* An Instance Connect key, copied out of the snapshot. */
struct managed_key {
	char *user, *key;
	char request_id[37];
	int64_t expires_at;
};

struct entry {
	struct dp_imds m;
	char *key_name, *public_key, *user_data, **groups;
	struct managed_key *keys; /* m.n_pushed_keys of them */
};

static struct managed_key *keys_copy(const struct managed_key *v, size_t n)
{
	struct managed_key *c = xcalloc(n + 1, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		c[i] = v[i];
		c[i].user = xstrdup(v[i].user);
		c[i].key = xstrdup(v[i].key);
	}
	return c;
}

static void keys_free(struct managed_key *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].user);
		free(v[i].key);
	}
	free(v);
}

struct listener {
	char ns[DP_NAME_MAX];
	ino_t ns_ino; /* a namespace deleted and recreated gets a new listener */
	struct MHD_Daemon *d;
	int fd;
};

struct imds {
	pthread_mutex_t lock;
	struct entry *entries;
	size_t n_entries;
	struct listener listeners[LISTENERS_MAX];
	size_t n_listeners;
	unsigned char secret[32];
};

static void free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key_name);
		free(v[i].public_key);
		free(v[i].user_data);
		for (size_t k = 0; k < v[i].m.n_groups; k++)
			free(v[i].groups[k]);
		free(v[i].groups);
		keys_free(v[i].keys, v[i].m.n_pushed_keys);
	}
	free(v);
}

int imds_new(struct imds **ret)
{
	struct imds *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	if (RAND_bytes(m->secret, sizeof(m->secret)) != 1) {
		free(m);
		return -EIO;
	}
	*ret = m;
	return 0;
}

/* Finds the entry for a mark and copies what a reply needs while locked. */
static bool lookup(struct imds *m, uint32_t mark, struct entry *out, struct buf *scratch)
{
	bool found = false;
	(void)scratch;
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->n_entries; i++) {
		if (m->entries[i].m.mark != mark)
			continue;
		const struct entry *e = &m->entries[i];
		*out = *e;
		out->key_name = e->key_name ? xstrdup(e->key_name) : NULL;
		out->public_key = e->public_key ? xstrdup(e->public_key) : NULL;
		out->user_data = NULL;
		if (e->user_data) {
			out->user_data = xmalloc(e->m.user_data_size + 1);
			memcpy(out->user_data, e->user_data, e->m.user_data_size);
		}
		out->groups = xcalloc(e->m.n_groups + 1, sizeof(char *));
		for (size_t k = 0; k < e->m.n_groups; k++)
			out->groups[k] = xstrdup(e->groups[k]);
		out->keys = keys_copy(e->keys, e->m.n_pushed_keys);
		found = true;
		break;
	}
	pthread_mutex_unlock(&m->lock);
	return found;
}

static void token_mac(const struct imds *m, const char *instance_id, long long expiry,
		      char out[65])
{
	unsigned char mac[32];
	unsigned int len = sizeof(mac);
	char msg[128];
	snprintf(msg, sizeof(msg), "%s|%lld", instance_id, expiry);
	HMAC(EVP_sha256(), m->secret, sizeof(m->secret), (const unsigned char *)msg, strlen(msg), mac,
	     &len);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static bool token_valid(const struct imds *m, const char *instance_id, const char *token)
{
	char *end, mac[65];
	long long expiry;
	if (!token || strlen(token) > 96)
		return false;
	errno = 0;
	expiry = strtoll(token, &end, 10);
	if (errno || *end != '.' || strlen(end + 1) != 64 || expiry < (long long)time(NULL))
		return false;
	token_mac(m, instance_id, expiry, mac);
	return CRYPTO_memcmp(mac, end + 1, 64) == 0;
}

static enum MHD_Result reply(struct MHD_Connection *con, unsigned status, const char *body,
			     size_t size, const char *ctype)
{
	char *copy = xmalloc(size + 1);
	memcpy(copy, body, size);
	struct MHD_Response *r = MHD_create_response_from_buffer(size, copy, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(copy);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", ctype ? ctype : "text/plain");
	MHD_add_response_header(r, "Server", "EC2ws");
	enum MHD_Result res = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return res;
}

static enum MHD_Result text(struct MHD_Connection *con, unsigned status, const char *s)
{
	return reply(con, status, s, strlen(s), NULL);
}

/* EC2 Instance Connect: managed-ssh-keys/active-keys/<user>/ lists the
 * unexpired keys pushed for that user, each after the comment lines AWS
 * writes (#Timestamp= is its expiry), for the instance's
 * AuthorizedKeysCommand; 404 when there are none, as in AWS.  The entry is
 * the caller's own instance (the mark), so no instance reads another's. */
static unsigned managed_keys(const struct entry *e, const char *path, struct buf *out)
{
	static const char dir[] = "managed-ssh-keys/active-keys/";
	char user[PUSHED_KEY_USER_MAX + 1];
	size_t n;
	if (strncmp(path, dir, sizeof(dir) - 1))
		return 404;
	path += sizeof(dir) - 1;
	n = strlen(path);
	if (n && path[n - 1] == '/')
		n--;
	if (n == 0 || n > PUSHED_KEY_USER_MAX)
		return 404;
	memcpy(user, path, n);
	user[n] = '\0';
	int64_t now = (int64_t)time(NULL);
	unsigned status = 404;
	for (size_t i = 0; i < e->m.n_pushed_keys; i++) {
		const struct managed_key *k = &e->keys[i];
		if (strcmp(k->user, user) || now >= k->expires_at)
			continue;
		(void)buf_printf(out,
				 "#Timestamp=%lld\n#Instance=%s\n#Caller=arn:aws:iam::%s:root\n"
				 "#Request=%s\n%s\n",
				 (long long)k->expires_at, e->m.instance_id, e->m.account_id,
				 k->request_id, k->key);
		status = 200;
	}
	return status;
}

/* The metadata tree (spec §15).  Returns 200 with the text in out, or 404. */
static unsigned resolve(const struct entry *e, const char *path, struct buf *out)
{
	const struct dp_imds *m = &e->m;
	char ip[IP4_STR_MAX], mac_dir[64];
	snprintf(mac_dir, sizeof(mac_dir), "network/interfaces/macs/%s/", m->mac);
	size_t md = strlen(mac_dir);

	if (!strncmp(path, "managed-ssh-keys/", 17)) {
		return managed_keys(e, path, out);
	} else if (!strcmp(path, "")) {
		(void)buf_puts(out, "ami-id\nami-launch-index\nhostname\ninstance-id\n"
				    "instance-type\nlocal-hostname\nlocal-ipv4\nmac\nnetwork/\n"
				    "placement/\n");
		if (m->public_ip)
			(void)buf_puts(out, "public-hostname\npublic-ipv4\n");
		if (e->public_key)
			(void)buf_puts(out, "public-keys/\n");
		(void)buf_puts(out, "reservation-id\nsecurity-groups");
	} else if (!strcmp(path, "ami-id"))
		(void)buf_puts(out, m->image_id);
	else if (!strcmp(path, "ami-launch-index"))
		(void)buf_printf(out, "%d", m->launch_index);
	else if (!strcmp(path, "hostname") || !strcmp(path, "local-hostname"))
		(void)buf_puts(out, m->hostname);
	else if (!strcmp(path, "instance-id"))
		(void)buf_puts(out, m->instance_id);
	else if (!strcmp(path, "instance-type"))
		(void)buf_puts(out, m->instance_type);
	else if (!strcmp(path, "local-ipv4"))
		(void)buf_puts(out, ip4_format(m->private_ip, ip));
	else if (!strcmp(path, "mac"))
		(void)buf_puts(out, m->mac);
	else if (!strcmp(path, "public-ipv4") && m->public_ip)
		(void)buf_puts(out, ip4_format(m->public_ip, ip));
	else if (!strcmp(path, "public-hostname") && m->public_ip)
		(void)buf_puts(out, m->public_hostname);
	else if (!strcmp(path, "reservation-id"))
		(void)buf_puts(out, m->reservation_id);
	else if (!strcmp(path, "security-groups") || !strcmp(path, "security-group-ids")) {
		for (size_t i = 0; i < m->n_groups; i++)
			(void)buf_printf(out, "%s%s", i ? "\n" : "", e->groups[i]);
	} else if (!strcmp(path, "placement/"))
		(void)buf_puts(out, "availability-zone\nregion");
	else if (!strcmp(path, "placement/availability-zone"))
		(void)buf_puts(out, m->az);
	else if (!strcmp(path, "placement/region"))
		(void)buf_puts(out, m->region);
	else if (!strcmp(path, "public-keys/") && e->public_key)
		(void)buf_printf(out, "0=%s", e->key_name ? e->key_name : "key");
	else if (!strcmp(path, "public-keys/0/") && e->public_key)
		(void)buf_puts(out, "openssh-key");
	else if (!strcmp(path, "public-keys/0/openssh-key") && e->public_key)
		(void)buf_printf(out, "%s\n", e->public_key);
	else if (!strcmp(path, "network/"))
		(void)buf_puts(out, "interfaces/");
	else if (!strcmp(path, "network/interfaces/"))
		(void)buf_puts(out, "macs/");
	else if (!strcmp(path, "network/interfaces/macs/"))
		(void)buf_printf(out, "%s/", m->mac);
	else if (!strcmp(path, mac_dir))
		(void)buf_puts(out, "device-number\ninterface-id\nlocal-hostname\nlocal-ipv4s\nmac\n"
				    "owner-id\nsecurity-group-ids\nsubnet-id\nsubnet-ipv4-cidr-block\n"
				    "vpc-id\nvpc-ipv4-cidr-block\nvpc-ipv4-cidr-blocks");
	else if (!strncmp(path, mac_dir, md)) {
		const char *leaf = path + md;
		if (!strcmp(leaf, "device-number"))
			(void)buf_puts(out, "0");
		else if (!strcmp(leaf, "interface-id"))
			(void)buf_puts(out, m->eni_id);
		else if (!strcmp(leaf, "local-hostname"))
			(void)buf_puts(out, m->hostname);
		else if (!strcmp(leaf, "local-ipv4s"))
			(void)buf_puts(out, ip4_format(m->private_ip, ip));
		else if (!strcmp(leaf, "mac"))
			(void)buf_puts(out, m->mac);
		else if (!strcmp(leaf, "owner-id"))
			(void)buf_puts(out, m->account_id);
		else if (!strcmp(leaf, "public-ipv4s") && m->public_ip)
			(void)buf_puts(out, ip4_format(m->public_ip, ip));
		else if (!strcmp(leaf, "security-group-ids")) {
			for (size_t i = 0; i < m->n_groups; i++)
				(void)buf_printf(out, "%s%s", i ? "\n" : "", e->groups[i]);
		} else if (!strcmp(leaf, "subnet-id"))
			(void)buf_puts(out, m->subnet_id);
		else if (!strcmp(leaf, "subnet-ipv4-cidr-block"))
			(void)buf_puts(out, m->subnet_cidr);
		else if (!strcmp(leaf, "vpc-id"))
			(void)buf_puts(out, m->vpc_id);
		else if (!strcmp(leaf, "vpc-ipv4-cidr-block") || !strcmp(leaf, "vpc-ipv4-cidr-blocks"))
			(void)buf_puts(out, m->vpc_cidr);
		else
			return 404;
	} else
		return 404;
	return 200;
}

static void identity_document(const struct entry *e, struct buf *out)
{
	const struct dp_imds *m = &e->m;
	char ip[IP4_STR_MAX], when[32];
	time_t t = (time_t)m->launch_time;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	(void)buf_printf(out,
			 "{\n  \"accountId\" : \"%s\",\n  \"architecture\" : \"x86_64\",\n"
			 "  \"availabilityZone\" : \"%s\",\n  \"imageId\" : \"%s\",\n"
			 "  \"instanceId\" : \"%s\",\n  \"instanceType\" : \"%s\",\n"
			 "  \"pendingTime\" : \"%s\",\n  \"privateIp\" : \"%s\",\n"
			 "  \"region\" : \"%s\",\n  \"version\" : \"2017-09-30\"\n}",
			 m->account_id, m->az, m->image_id, m->instance_id, m->instance_type, when,
			 ip4_format(m->private_ip, ip), m->region);
}

static void free_entry_copy(struct entry *e)
{
	free(e->key_name);
	free(e->public_key);
	free(e->user_data);
	for (size_t k = 0; e->groups && k < e->m.n_groups; k++)
		free(e->groups[k]);
	free(e->groups);
	keys_free(e->keys, e->m.n_pushed_keys);
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *con, const char *url,
			     const char *method, const char *version, const char *upload_data,
			     size_t *upload_data_size, void **con_cls)
{
	struct imds *m = cls;
	struct entry e;
	uint32_t mark = 0;
	socklen_t len = sizeof(mark);
	(void)version;
	(void)upload_data;

	if (!*con_cls) { /* first call: headers only */
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (*upload_data_size) { /* bodies are ignored */
		*upload_data_size = 0;
		return MHD_YES;
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci || getsockopt(ci->connect_fd, SOL_SOCKET, SO_MARK, &mark, &len) < 0)
		return text(con, 403, "Forbidden");
	if (!lookup(m, mark, &e, NULL))
		return text(con, 403, "Forbidden");
	/* Replies leave with TTL = the hop limit (spec §15). */
	int ttl = e.m.hop_limit > 0 ? e.m.hop_limit : 1;
	(void)setsockopt(ci->connect_fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	enum MHD_Result res;
	struct buf out;
	buf_init(&out, 1 << 20);
	if (!e.m.endpoint_enabled) {
		res = text(con, 403, "Forbidden");
		goto done;
	}
	if (!strcmp(method, "PUT")) {
		const char *ttl_s = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
								"X-aws-ec2-metadata-token-ttl-seconds");
		char *end;
		long ttl_v = ttl_s ? strtol(ttl_s, &end, 10) : 0;
		/* A PUT relayed by a proxy carries X-Forwarded-For: refused. */
		if (MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-For")) {
			res = text(con, 403, "Forbidden");
		} else if (strcmp(url, "/latest/api/token")) {
			res = text(con, 404, "Not Found");
		} else if (!ttl_s || *end || ttl_v < 1 || ttl_v > TOKEN_TTL_MAX) {
			res = text(con, 400, "Bad Request");
		} else {
			char mac[65];
			long long expiry = (long long)time(NULL) + ttl_v;
			token_mac(m, e.m.instance_id, expiry, mac);
			(void)buf_printf(&out, "%lld.%s", expiry, mac);
			struct MHD_Response *r = MHD_create_response_from_buffer(
				out.size, out.data, MHD_RESPMEM_MUST_COPY);
			MHD_add_response_header(r, "X-aws-ec2-metadata-token-ttl-seconds", ttl_s);
			MHD_add_response_header(r, "Content-Type", "text/plain");
			res = MHD_queue_response(con, 200, r);
			MHD_destroy_response(r);
		}
		goto done;
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		res = text(con, 405, "Method Not Allowed");
		goto done;
	}
	const char *token = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
							"X-aws-ec2-metadata-token");
	if (token ? !token_valid(m, e.m.instance_id, token) : e.m.tokens_required) {
		res = text(con, 401, "Unauthorized");
		goto done;
	}
	unsigned status = 404;
	if (!strcmp(url, "/") || !strcmp(url, "/latest") || !strcmp(url, "/latest/")) {
		(void)buf_puts(&out, !strcmp(url, "/") ? "latest" : "dynamic\nmeta-data\nuser-data");
		status = 200;
	} else if (!strncmp(url, "/latest/meta-data/", 18)) {
		status = resolve(&e, url + 18, &out);
	} else if (!strcmp(url, "/latest/meta-data")) {
		status = resolve(&e, "", &out);
	} else if (!strcmp(url, "/latest/user-data") && e.user_data) {
		(void)buf_append(&out, e.user_data, e.m.user_data_size);
		status = 200;
	} else if (!strcmp(url, "/latest/dynamic/instance-identity/document")) {
		identity_document(&e, &out);
		status = 200;
	}
	res = status == 200 ? reply(con, 200, buf_str(&out), out.size, NULL)
			    : text(con, 404, "Not Found");
done:
	buf_done(&out);
	free_entry_copy(&e);
	return res;
}

static ino_t ns_inode(const char *ns)
{
	char path[128];
	struct stat sb;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
	return stat(path, &sb) == 0 ? sb.st_ino : 0;
}

static struct listener *find_listener(struct imds *m, const char *ns)
{
	for (size_t i = 0; i < m->n_listeners; i++)
		if (!strcmp(m->listeners[i].ns, ns) && m->listeners[i].ns_ino == ns_inode(ns))
			return &m->listeners[i];
	return NULL;
}

static int listen_in(struct imds *m, const char *ns)
{
	if (m->n_listeners == LISTENERS_MAX)
		return -ENOSPC;
	int fd = netns_socket(ns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	int one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80),
				  .sin_addr.s_addr = htonl(DP_IMDS_IP) };
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, serve, m,
		MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
		MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
	if (!d) {
		close(fd);
		return -EIO;
	}
	struct listener *l = &m->listeners[m->n_listeners++];
	snprintf(l->ns, sizeof(l->ns), "%s", ns);
	l->ns_ino = ns_inode(ns);
	l->d = d;
	l->fd = fd;
	log_info("imds", "ns=%s op=listen", ns);
	return 0;
}

int imds_update(struct imds *m, const struct dp_desired *d)
{
	struct entry *v = xcalloc(d->n_imds + 1, sizeof(*v));
	for (size_t i = 0; i < d->n_imds; i++) {
		const struct dp_imds *s = &d->imds[i];
		v[i].m = *s;
		v[i].key_name = s->key_name ? xstrdup(s->key_name) : NULL;
		v[i].public_key = s->public_key ? xstrdup(s->public_key) : NULL;
		if (s->user_data) {
			v[i].user_data = xmalloc(s->user_data_size + 1);
			memcpy(v[i].user_data, s->user_data, s->user_data_size);
		}
		v[i].groups = xcalloc(s->n_groups + 1, sizeof(char *));
		for (size_t k = 0; k < s->n_groups; k++)
			v[i].groups[k] = xstrdup(s->group_ids[k]);
		v[i].keys = xcalloc(s->n_pushed_keys + 1, sizeof(*v[i].keys));
		for (size_t k = 0; k < s->n_pushed_keys; k++) {
			const struct pushed_key *pk = &s->pushed_keys[k];
			v[i].keys[k].user = xstrdup(pk->os_user);
			v[i].keys[k].key = xstrdup(pk->public_key);
			snprintf(v[i].keys[k].request_id, sizeof(v[i].keys[k].request_id), "%s",
				 pk->request_id);
			v[i].keys[k].expires_at = pk->expires_at;
		}
		v[i].m.key_name = NULL;
		v[i].m.public_key = NULL;
		v[i].m.user_data = NULL;
		v[i].m.group_ids = NULL;
		v[i].m.pushed_keys = NULL;
	}
	pthread_mutex_lock(&m->lock);
	struct entry *old = m->entries;
	size_t n_old = m->n_entries;
	m->entries = v;
	m->n_entries = d->n_imds;
	pthread_mutex_unlock(&m->lock);
	free_entries(old, n_old);

	/* Routers that are gone, or were recreated: stop their listeners. */
	for (size_t i = 0; i < m->n_listeners;) {
		struct listener *l = &m->listeners[i];
		bool wanted = false;
		for (size_t k = 0; k < d->n_ns && !wanted; k++)
			wanted = d->ns[k].kind == DP_NS_ROUTER && !strcmp(d->ns[k].name, l->ns);
		if (wanted && l->ns_ino == ns_inode(l->ns)) {
			i++;
			continue;
		}
		MHD_stop_daemon(l->d);
		close(l->fd);
		*l = m->listeners[--m->n_listeners];
	}
	int rc = 0;
	for (size_t i = 0; i < d->n_ns; i++) {
		if (d->ns[i].kind != DP_NS_ROUTER || find_listener(m, d->ns[i].name))
			continue;
		int r = listen_in(m, d->ns[i].name);
		if (r < 0) {
			log_warn("imds", r, "ns=%s op=listen", d->ns[i].name);
			rc = r;
		}
	}
	return rc;
}

void imds_free(struct imds *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_listeners; i++) {
		MHD_stop_daemon(m->listeners[i].d);
		close(m->listeners[i].fd);
	}
	free_entries(m->entries, m->n_entries);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
