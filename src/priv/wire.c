// SPDX-License-Identifier: MIT
/* The socketpair side of priv/; see wire.h. */
#include "priv/wire.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

static pthread_mutex_t client_lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t recv_msg(int fd, struct iovec *iov, int n_iov, int *flags)
{
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n_iov };
	ssize_t n;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*flags = mh.msg_flags;
	return n;
}

static int send_msg(int fd, struct iovec *iov, int n_iov)
{
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n_iov };
	ssize_t n;
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -EPIPE : 0;
}

/* One request and its reply over the channel, one at a time. */
static void exchange(struct priv_wire_client *c, const struct priv_request *req,
		     struct priv_reply *rep)
{
	struct priv_wire_req w;
	struct priv_wire_rep h;
	char *data = malloc(PRIV_WIRE_DATA_MAX + 1);
	int flags;

	memset(&w, 0, sizeof(w)); /* no stack bytes cross the boundary */
	w.op = (uint32_t)req->op;
	memcpy(w.instance_id, req->instance_id, sizeof(w.instance_id));
	rep->status = -EIO;
	if (!data)
		return;
	pthread_mutex_lock(&client_lock);
	struct iovec out = { .iov_base = &w, .iov_len = sizeof(w) };
	struct iovec in[2] = { { .iov_base = &h, .iov_len = sizeof(h) },
			       { .iov_base = data, .iov_len = PRIV_WIRE_DATA_MAX } };
	ssize_t n = -1;
	if (send_msg(c->fd, &out, 1) == 0)
		n = recv_msg(c->fd, in, 2, &flags);
	pthread_mutex_unlock(&client_lock);
	if (n < (ssize_t)sizeof(h) || (flags & MSG_TRUNC) ||
	    (size_t)n - sizeof(h) != h.data_size || h.status > 0) {
		free(data);
		return; /* broken channel or a malformed answer: -EIO */
	}
	rep->status = h.status;
	if (h.data_size) {
		data[h.data_size] = '\0';
		rep->data = data;
		rep->data_size = h.data_size;
	} else {
		free(data);
	}
}

/* Reconcile requests share passes, as a database shares a commit: each
 * caller's change is in the store before it asks, and a pass that begins
 * after the ask reads it — so one pass answers every caller that asked
 * before the pass began.  Concurrent mutating calls then cost about two
 * passes instead of one each (api.rps.authorize_ingress), and each call
 * still returns only once its change is in the kernel. */
static pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gen_cv = PTHREAD_COND_INITIALIZER;
static unsigned long long gen_asked, gen_done; /* tickets handed out, answered */
static bool gen_in_flight;
static int gen_status; /* of the last pass: it covers every answered ticket */

static void reconcile_shared(struct priv_wire_client *c, const struct priv_request *req,
			     struct priv_reply *rep)
{
	pthread_mutex_lock(&gen_lock);
	unsigned long long mine = ++gen_asked;
	while (gen_done < mine) {
		if (gen_in_flight) {
			pthread_cond_wait(&gen_cv, &gen_lock);
			continue;
		}
		gen_in_flight = true;
		unsigned long long upto = gen_asked; /* every ask so far precedes the pass */
		pthread_mutex_unlock(&gen_lock);
		struct priv_reply r = { .status = -EIO };
		exchange(c, req, &r);
		free(r.data);
		pthread_mutex_lock(&gen_lock);
		gen_in_flight = false;
		gen_done = upto;
		gen_status = r.status;
		pthread_cond_broadcast(&gen_cv);
	}
	rep->status = gen_status;
	rep->data = NULL;
	rep->data_size = 0;
	pthread_mutex_unlock(&gen_lock);
}

static void client_handle(void *cookie, const struct priv_request *req, struct priv_reply *rep)
{
	if (req->op == PRIV_RECONCILE)
		reconcile_shared(cookie, req, rep);
	else
		exchange(cookie, req, rep);
}

void priv_wire_client_init(struct priv_wire_client *c, int fd, struct priv_executor *ret_ex)
{
	c->fd = fd;
	ret_ex->handle = client_handle;
	ret_ex->cookie = c;
}

static int send_reply(int fd, int status, const char *data, size_t size)
{
	/* Bounded: the tail, which is what GetConsoleOutput keeps anyway. */
	if (size > PRIV_WIRE_DATA_MAX) {
		data += size - PRIV_WIRE_DATA_MAX;
		size = PRIV_WIRE_DATA_MAX;
	}
	struct priv_wire_rep h = { .status = status, .data_size = (uint32_t)size };
	struct iovec iov[2] = { { .iov_base = &h, .iov_len = sizeof(h) },
				{ .iov_base = (void *)(uintptr_t)data, .iov_len = size } };
	return send_msg(fd, iov, size ? 2 : 1);
}

int priv_wire_serve_one(int fd, const struct priv_executor *ex)
{
	struct priv_wire_req w;
	char extra;
	struct iovec iov[2] = { { .iov_base = &w, .iov_len = sizeof(w) },
				{ .iov_base = &extra, .iov_len = 1 } };
	int flags;
	ssize_t n = recv_msg(fd, iov, 2, &flags);
	if (n <= 0)
		return -EPIPE; /* EOF: the API process has gone */
	/* Fail closed: exactly one well-formed request, or nothing is done. */
	if ((size_t)n != sizeof(w) || (flags & (MSG_TRUNC | MSG_CTRUNC)) || w.op >= PRIV_OP_COUNT)
		return send_reply(fd, -EINVAL, NULL, 0);
	struct priv_request req = { .op = (enum priv_op)w.op };
	memcpy(req.instance_id, w.instance_id, sizeof(req.instance_id));
	struct priv_reply rep;
	priv_call(ex, &req, &rep); /* validates again: known op, NUL, ID shape */
	if (rep.status > 0)
		rep.status = -EIO;
	int r = send_reply(fd, rep.status, rep.status == 0 ? rep.data : NULL,
			   rep.status == 0 ? rep.data_size : 0);
	free(rep.data);
	return r;
}

int priv_wire_send_ready(int fd)
{
	return send_reply(fd, 0, NULL, 0);
}

int priv_wire_wait_ready(int fd)
{
	struct priv_wire_rep h;
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
	int flags;
	ssize_t n = recv_msg(fd, &iov, 1, &flags);
	if (n != (ssize_t)sizeof(h) || (flags & MSG_TRUNC) || h.status || h.data_size)
		return -EPIPE;
	return 0;
}
