// SPDX-License-Identifier: MIT
/* The channel between the API (which parses requests and must never touch
 * the kernel: checklist 23) and the privileged executor (data plane and
 * instance runtime).  Requests are typed and fixed-size; the executor checks
 * each before acting and fails closed on anything it does not know.  A
 * caller sees `struct priv_executor`: in `serve` it is priv/wire.h's client,
 * which carries the request over a socketpair to the privileged parent
 * (priv/drop.h); in unit tests a function call or NULL. */
#ifndef PRIV_PRIV_H
#define PRIV_PRIV_H
#include <stddef.h>
#include <stdint.h>

#include "util/id.h"

enum priv_op {
	PRIV_RECONCILE,       /* make the kernel match the store, now */
	PRIV_CONSOLE_READ,    /* an instance's console log (GetConsoleOutput) */
	PRIV_OP_COUNT
};

struct priv_request {
	enum priv_op op;
	char instance_id[ID_MAX]; /* PRIV_CONSOLE_READ */
};

struct priv_reply {
	int status;          /* 0 or -errno */
	char *data;          /* PRIV_CONSOLE_READ: malloc'd, free() it */
	size_t data_size;
};

struct priv_executor {
	/* Handles one request synchronously; fills *reply. */
	void (*handle)(void *cookie, const struct priv_request *req, struct priv_reply *reply);
	void *cookie;
};

/* Validates req (known op, NUL-terminated, well-formed ID) and passes it to
 * the executor; a NULL executor (the API alone, e.g. in unit tests) answers
 * 0 for RECONCILE and -ENOENT for reads.  Returns reply->status. */
int priv_call(const struct priv_executor *ex, const struct priv_request *req,
	      struct priv_reply *reply);

#endif
