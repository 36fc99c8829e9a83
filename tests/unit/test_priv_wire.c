// SPDX-License-Identifier: MIT
/* priv/wire: the privileged side fails closed on any message that is not
 * exactly one well-formed request (checklist 23), and the API side refuses
 * a malformed answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "priv/wire.h"

struct fake {
	int calls;
	size_t data_size;
};

static void fake_handle(void *cookie, const struct priv_request *req, struct priv_reply *rep)
{
	struct fake *f = cookie;
	f->calls++;
	rep->status = 0;
	if (req->op == PRIV_CONSOLE_READ && f->data_size) {
		rep->data = malloc(f->data_size);
		for (size_t i = 0; i < f->data_size; i++)
			rep->data[i] = (char)('a' + i % 26);
		rep->data_size = f->data_size;
	}
}

struct pair {
	int api, priv;
	struct fake f;
	struct priv_executor ex;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	p->api = sv[0];
	p->priv = sv[1];
	p->ex = (struct priv_executor){ .handle = fake_handle, .cookie = &p->f };
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;
	if (p->api >= 0)
		close(p->api);
	if (p->priv >= 0)
		close(p->priv);
	free(p);
	return 0;
}

/* Sends raw bytes as the API side, serves one message, returns the status
 * answered (and the data size in *size). */
static int32_t serve_raw(struct pair *p, const void *msg, size_t len, uint32_t *size)
{
	static char buf[sizeof(struct priv_wire_rep) + PRIV_WIRE_DATA_MAX + 16];
	assert_int_equal(send(p->api, msg, len, 0), (ssize_t)len);
	assert_int_equal(priv_wire_serve_one(p->priv, &p->ex), 0);
	ssize_t n = recv(p->api, buf, sizeof(buf), 0);
	assert_true(n >= (ssize_t)sizeof(struct priv_wire_rep));
	struct priv_wire_rep h;
	memcpy(&h, buf, sizeof(h));
	assert_int_equal((size_t)n - sizeof(h), h.data_size);
	if (size)
		*size = h.data_size;
	return h.status;
}

static void well_formed_request_is_served(void **state)
{
	struct pair *p = *state;
	struct priv_wire_req w = { .op = PRIV_RECONCILE };
	assert_int_equal(serve_raw(p, &w, sizeof(w), NULL), 0);
	assert_int_equal(p->f.calls, 1);
}

static void malformed_requests_do_nothing(void **state)
{
	struct pair *p = *state;
	struct priv_wire_req w = { .op = PRIV_RECONCILE };
	char big[sizeof(w) + 8] = { 0 };
	assert_int_equal(serve_raw(p, &w, sizeof(w) - 1, NULL), -EINVAL); /* short */
	assert_int_equal(serve_raw(p, big, sizeof(big), NULL), -EINVAL);  /* long */
	assert_int_equal(serve_raw(p, "", 1, NULL), -EINVAL);
	w.op = PRIV_OP_COUNT;
	assert_int_equal(serve_raw(p, &w, sizeof(w), NULL), -EINVAL);
	w.op = UINT32_MAX;
	assert_int_equal(serve_raw(p, &w, sizeof(w), NULL), -EINVAL);
	/* An ID without its NUL, of the wrong family, or that names a path. */
	w.op = PRIV_CONSOLE_READ;
	memset(w.instance_id, 'a', sizeof(w.instance_id));
	assert_int_equal(serve_raw(p, &w, sizeof(w), NULL), -EINVAL);
	memset(w.instance_id, 0, sizeof(w.instance_id));
	strcpy(w.instance_id, "vpc-0a1b2c3d");
	assert_int_equal(serve_raw(p, &w, sizeof(w), NULL), -EINVAL);
	strcpy(w.instance_id, "i-0a/../../etc");
	assert_int_equal(serve_raw(p, &w, sizeof(w), NULL), -EINVAL);
	assert_int_equal(p->f.calls, 0);
}

static void reply_data_is_bounded(void **state)
{
	struct pair *p = *state;
	struct priv_wire_req w = { .op = PRIV_CONSOLE_READ };
	strcpy(w.instance_id, "i-0a1b2c3d4e5f60718");
	uint32_t size;
	p->f.data_size = 3 * PRIV_WIRE_DATA_MAX + 5;
	assert_int_equal(serve_raw(p, &w, sizeof(w), &size), 0);
	assert_int_equal(size, PRIV_WIRE_DATA_MAX);
}

static void eof_is_epipe(void **state)
{
	struct pair *p = *state;
	close(p->api);
	p->api = -1;
	assert_int_equal(priv_wire_serve_one(p->priv, &p->ex), -EPIPE);
}

static void client_round_trip(void **state)
{
	struct pair *p = *state;
	struct priv_wire_client c;
	struct priv_executor ex;
	struct priv_request req = { .op = PRIV_CONSOLE_READ };
	struct priv_reply rep;
	strcpy(req.instance_id, "i-0a1b2c3d4e5f60718");
	priv_wire_client_init(&c, p->api, &ex);
	/* The answer is queued first, so one thread can play both sides. */
	char msg[sizeof(struct priv_wire_rep) + 3];
	struct priv_wire_rep h = { .status = 0, .data_size = 3 };
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "abc", 3);
	assert_int_equal(send(p->priv, msg, sizeof(msg), 0), (ssize_t)sizeof(msg));
	assert_int_equal(priv_call(&ex, &req, &rep), 0);
	assert_int_equal(rep.data_size, 3);
	assert_string_equal(rep.data, "abc");
	free(rep.data);
	struct priv_wire_req w;
	assert_int_equal(recv(p->priv, &w, sizeof(w), 0), (ssize_t)sizeof(w));
	assert_int_equal(w.op, PRIV_CONSOLE_READ);
	assert_string_equal(w.instance_id, req.instance_id);
}

static void client_refuses_malformed_answers(void **state)
{
	struct pair *p = *state;
	struct priv_wire_client c;
	struct priv_executor ex;
	struct priv_request req = { .op = PRIV_RECONCILE };
	struct priv_reply rep;
	priv_wire_client_init(&c, p->api, &ex);
	struct priv_wire_rep lies = { .status = 0, .data_size = 100 }; /* no data follows */
	assert_int_equal(send(p->priv, &lies, sizeof(lies), 0), (ssize_t)sizeof(lies));
	assert_int_equal(priv_call(&ex, &req, &rep), -EIO);
	struct priv_wire_rep positive = { .status = 7 };
	assert_int_equal(send(p->priv, &positive, sizeof(positive), 0), (ssize_t)sizeof(positive));
	assert_int_equal(priv_call(&ex, &req, &rep), -EIO);
	close(p->priv); /* the parent has gone */
	p->priv = -1;
	assert_int_equal(priv_call(&ex, &req, &rep), -EIO);
}

/* Concurrent reconcile requests share passes, and none returns before a
 * pass that began after its change (its "commit") has ended. */
#define SHARERS 16
static atomic_int commits;   /* changes made so far (each before its ask) */
static atomic_int covered;   /* commits seen at the start of the last finished pass */
static atomic_int passes;

static void slow_pass(void *cookie, const struct priv_request *req, struct priv_reply *rep)
{
	(void)cookie;
	(void)req;
	int seen = atomic_load(&commits);
	usleep(20000); /* a pass takes a while: asks pile up meanwhile */
	atomic_fetch_add(&passes, 1);
	atomic_store(&covered, seen);
	rep->status = 0;
}

struct sharer {
	struct priv_executor *ex;
	int mine, status, covered_at_return;
};

static void *share(void *arg)
{
	struct sharer *sh = arg;
	struct priv_request req = { .op = PRIV_RECONCILE };
	struct priv_reply rep;
	sh->mine = atomic_fetch_add(&commits, 1) + 1;
	sh->status = priv_call(sh->ex, &req, &rep);
	sh->covered_at_return = atomic_load(&covered);
	return NULL;
}

static void *serve_all(void *arg)
{
	struct pair *p = arg;
	while (priv_wire_serve_one(p->priv, &p->ex) == 0)
		;
	return NULL;
}

static void reconcile_calls_share_passes(void **state)
{
	struct pair *p = *state;
	struct priv_wire_client c;
	struct priv_executor ex;
	struct sharer sh[SHARERS];
	pthread_t server, t[SHARERS];
	p->ex = (struct priv_executor){ .handle = slow_pass, .cookie = NULL };
	priv_wire_client_init(&c, p->api, &ex);
	assert_int_equal(pthread_create(&server, NULL, serve_all, p), 0);
	for (int i = 0; i < SHARERS; i++) {
		sh[i] = (struct sharer){ .ex = &ex };
		assert_int_equal(pthread_create(&t[i], NULL, share, &sh[i]), 0);
	}
	for (int i = 0; i < SHARERS; i++)
		pthread_join(t[i], NULL);
	shutdown(p->api, SHUT_RDWR); /* the server sees EOF */
	pthread_join(server, NULL);
	for (int i = 0; i < SHARERS; i++) {
		assert_int_equal(sh[i].status, 0);
		assert_true(sh[i].covered_at_return >= sh[i].mine);
	}
	/* One pass each would be 16; sharing needs about two per burst. */
	assert_true(atomic_load(&passes) < SHARERS);
	assert_true(atomic_load(&passes) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(well_formed_request_is_served, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_requests_do_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_data_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(eof_is_epipe, setup, teardown),
		cmocka_unit_test_setup_teardown(client_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(client_refuses_malformed_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(reconcile_calls_share_passes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
