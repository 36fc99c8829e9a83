// SPDX-License-Identifier: MIT
/* The checked call into the privileged executor; see priv.h. */
#include "priv/priv.h"

#include <errno.h>
#include <string.h>

static int check(const struct priv_request *req)
{
	if (req->op >= PRIV_OP_COUNT)
		return -EINVAL;
	if (!memchr(req->instance_id, '\0', sizeof(req->instance_id)))
		return -EINVAL;
	if (req->op == PRIV_CONSOLE_READ && !id_has_prefix(req->instance_id, "i"))
		return -EINVAL;
	for (const char *p = req->instance_id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return -EINVAL; /* IDs become file and namespace names */
	return 0;
}

int priv_call(const struct priv_executor *ex, const struct priv_request *req,
	      struct priv_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	reply->status = check(req);
	if (reply->status < 0)
		return reply->status;
	if (!ex || !ex->handle) {
		reply->status = req->op == PRIV_RECONCILE ? 0 : -ENOENT;
		return reply->status;
	}
	ex->handle(ex->cookie, req, reply);
	return reply->status;
}
