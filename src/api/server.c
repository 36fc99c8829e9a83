// SPDX-License-Identifier: MIT
/* libmicrohttpd glue; see server.h.  Moves bytes only: every decision about a
 * request is api_handle()'s. */
#include "api/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/sigv4.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HEADERS_MAX 64
#define URI_MAX (64 * 1024)
#define CONN_MAX 256
/* A request (headers and body) must arrive within this many seconds of the
 * connection opening or of the previous answer on it.  libmicrohttpd's own
 * timeout counts idle time only, so a client dribbling one header byte a
 * second (slowloris) would hold its connection for ever, and CONN_MAX such
 * clients would lock everyone out. */
#define REQUEST_DEADLINE_S 30

/* One open connection, as the deadline sweeper sees it. */
struct slot {
	bool used;
	bool waiting; /* for the rest of a request: the deadline runs */
	int fd;
	time_t since; /* CLOCK_MONOTONIC seconds */
};

struct api_server {
	struct MHD_Daemon *d;
	struct api_ctx *ctx;
	pthread_t sweeper;
	bool sweeper_started;
	pthread_mutex_t mu; /* guards slots and stop */
	pthread_cond_t cv;
	bool stop;
	struct slot slots[CONN_MAX];
};

static time_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* libmicrohttpd calls this with CLOSED before it closes the socket, so a
 * shutdown() made under the mutex never reaches a reused descriptor. */
static void notify_cb(void *cls, struct MHD_Connection *con, void **socket_context,
		      enum MHD_ConnectionNotificationCode toe)
{
	struct api_server *s = cls;
	pthread_mutex_lock(&s->mu);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = NULL;
		for (size_t i = 0; ci && i < CONN_MAX; i++) {
			if (!s->slots[i].used) {
				s->slots[i] = (struct slot){ .used = true, .waiting = true,
							     .fd = ci->connect_fd,
							     .since = mono_now() };
				*socket_context = &s->slots[i];
				break;
			}
		}
	} else if (*socket_context) {
		struct slot *sl = *socket_context;
		sl->used = false;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&s->mu);
}

/* The request is complete (waiting=false) or answered (waiting=true, the
 * next one's deadline starts now). */
static void slot_mark(struct api_server *s, struct MHD_Connection *con, bool waiting)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (!ci || !ci->socket_context)
		return;
	struct slot *sl = ci->socket_context;
	pthread_mutex_lock(&s->mu);
	sl->waiting = waiting;
	sl->since = mono_now();
	pthread_mutex_unlock(&s->mu);
}

static void *sweeper_main(void *arg)
{
	struct api_server *s = arg;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&s->cv, &s->mu, &until);
		time_t now = mono_now();
		for (size_t i = 0; i < CONN_MAX; i++) {
			struct slot *sl = &s->slots[i];
			if (sl->used && sl->waiting && now - sl->since >= REQUEST_DEADLINE_S) {
				/* The event loop sees the end of the stream and
				 * closes the connection itself. */
				(void)shutdown(sl->fd, SHUT_RDWR);
				sl->waiting = false;
				log_info("api", "op=deadline fd=%d seconds=%d", sl->fd,
					 REQUEST_DEADLINE_S);
			}
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Per-connection request state: created by the URI log callback, which is
 * the only place libmicrohttpd shows the raw (undecoded) URI. */
struct conn {
	char *uri;
	struct buf body;
	bool too_large;
	struct sigv4_header headers[HEADERS_MAX];
	size_t n_headers;
	bool too_many_headers;
	bool started; /* the first call brings only the headers */
};

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
	(void)cls;
	(void)con;
	struct conn *cn = xcalloc(1, sizeof(*cn));
	size_t n = strnlen(uri, URI_MAX + 1);
	cn->uri = xstrndup(uri, n > URI_MAX ? URI_MAX : n);
	cn->too_large = n > URI_MAX;
	buf_init(&cn->body, API_BODY_MAX);
	return cn;
}

static void completed_cb(void *cls, struct MHD_Connection *con, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	slot_mark(cls, con, true);
	struct conn *cn = *con_cls;
	if (!cn)
		return;
	buf_done(&cn->body);
	free(cn->uri);
	free(cn);
	*con_cls = NULL;
}

static enum MHD_Result header_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	struct conn *cn = cls;
	if (cn->n_headers == HEADERS_MAX) {
		cn->too_many_headers = true;
		return MHD_NO;
	}
	cn->headers[cn->n_headers].name = key;
	cn->headers[cn->n_headers].value = value ? value : "";
	cn->n_headers++;
	return MHD_YES;
}

static enum MHD_Result send_answer(struct MHD_Connection *con, const struct api_response *ar)
{
	static char empty[1];
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		ar->body.size, ar->body.data ? ar->body.data : empty, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
				ar->content_type ? ar->content_type : "text/xml;charset=UTF-8");
	if (ar->amzn_request_id[0])
		MHD_add_response_header(resp, "x-amzn-RequestId", ar->amzn_request_id);
	MHD_add_response_header(resp, "Server", "AmazonEC2");
	enum MHD_Result r = MHD_queue_response(con, (unsigned)ar->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *con, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	struct api_server *s = cls;
	struct conn *cn = *con_cls;
	(void)version;
	(void)url;

	if (!cn)
		return MHD_NO;
	if (!cn->started) {
		cn->started = true;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* Past the ceiling we keep reading (and dropping) so that the
		 * client gets an answer instead of a reset. */
		if (!cn->too_large && buf_append(&cn->body, upload_data, *upload_data_size) < 0)
			cn->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}

	slot_mark(s, con, false);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	MHD_get_connection_values(con, MHD_HEADER_KIND, header_cb, cn);
	char *q = strchr(cn->uri, '?');
	if (q)
		*q++ = '\0';
	struct api_http_req req = {
		.method = method,
		.path = cn->uri,
		.query = q ? q : "",
		.headers = cn->headers,
		.n_headers = cn->n_headers,
		.body = buf_str(&cn->body),
		.body_size = cn->body.size,
		.body_too_large = cn->too_large || cn->too_many_headers,
	};
	struct api_response ar;
	api_handle(s->ctx, &req, &ar, time(NULL));
	enum MHD_Result r = send_answer(con, &ar);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
	log_info("api", "action=%s status=%d%s%s duration_us=%ld",
		 ar.action[0] ? ar.action : "-", ar.status, ar.code[0] ? " code=" : "", ar.code,
		 us);
	buf_done(&ar.body);
	return r;
}

int api_server_bind(const char *ip, unsigned port, int *ret_fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, ip, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof(*sin6);
	} else {
		return -EINVAL;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int on = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int api_server_start(struct api_ctx *ctx, int fd, struct api_server **ret)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (listen(fd, 128) < 0)
		return -errno;
	struct api_server *s = xcalloc(1, sizeof(*s));
	s->ctx = ctx;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, s,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_URI_LOG_CALLBACK, uri_cb, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
				MHD_OPTION_NOTIFY_CONNECTION, notify_cb, s,
				MHD_OPTION_CONNECTION_TIMEOUT, 30u,     /* idle */
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_MAX,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
				MHD_OPTION_END);
	if (!s->d) {
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		free(s);
		return -EIO;
	}
	s->sweeper_started = pthread_create(&s->sweeper, NULL, sweeper_main, s) == 0;
	if (!s->sweeper_started)
		log_warnx("api", "op=deadline err=\"no sweeper thread: slow clients are not cut\"");
	*ret = s;
	return 0;
}

void api_server_stop(struct api_server *s)
{
	if (!s)
		return;
	if (s->sweeper_started) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->sweeper, NULL);
	}
	MHD_stop_daemon(s->d);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
