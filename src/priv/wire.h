// SPDX-License-Identifier: MIT
/* priv/ across a process boundary: the unprivileged API process sends each
 * priv_request as one fixed-size message on a SOCK_SEQPACKET socketpair;
 * the privileged parent answers with one message, a header (status, data
 * size) and at most PRIV_WIRE_DATA_MAX data bytes.  The parent checks every
 * message (exact size, then priv_call()'s checks) and fails closed: a
 * message it does not understand gets -EINVAL and nothing is done. */
#ifndef PRIV_WIRE_H
#define PRIV_WIRE_H
#include <stdint.h>

#include "priv/priv.h"

/* GetConsoleOutput sends AWS's last 64 KiB; the parent sends no more. */
#define PRIV_WIRE_DATA_MAX (64 * 1024)

struct priv_wire_req {
	uint32_t op;                 /* enum priv_op */
	char instance_id[ID_MAX];
};

struct priv_wire_rep {
	int32_t status;              /* 0 or -errno */
	uint32_t data_size;          /* bytes following, ≤ PRIV_WIRE_DATA_MAX */
};

/* The API side: a priv_executor whose handle() sends the request on fd and
 * waits for the answer (-EIO when the channel breaks or the answer is
 * malformed).  Calls are serialised; *client must outlive its use. */
struct priv_wire_client {
	int fd;
};
void priv_wire_client_init(struct priv_wire_client *c, int fd, struct priv_executor *ret_ex);

/* The privileged side: reads one message from fd, validates it, passes it
 * to ex (NULL: priv_call()'s API-only answers) and sends the reply.
 * Returns 0, or -EPIPE when the peer has gone (EOF or a broken channel). */
int priv_wire_serve_one(int fd, const struct priv_executor *ex);

/* The parent's "ready" message, sent once before any request is served:
 * the API answers only after the first reconcile.  wait returns 0 or <0. */
int priv_wire_send_ready(int fd);
int priv_wire_wait_ready(int fd);

#endif
