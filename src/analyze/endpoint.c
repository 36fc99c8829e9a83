// SPDX-License-Identifier: MIT
/* FROM and TO as people type them (trace, audit): IDs, addresses, an
 * instance's Name tag, "internet".  Pure. */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/snapshot.h"
#include "semantics/snap.h"
#include "util/cidr.h"

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static const char *name_of(const struct res_head *h)
{
	for (size_t i = 0; i < h->tags.n; i++)
		if (!strcmp(h->tags.v[i].key, "Name"))
			return h->tags.v[i].value;
	return NULL;
}

int analyze_endpoint_parse(const struct snapshot *s, const char *text, struct endpoint *ret)
{
	struct endpoint ep;
	memset(&ep, 0, sizeof(ep));
	if (!text || !*text || strlen(text) >= ID_MAX)
		return -EINVAL;
	if (!strcmp(text, "internet")) {
		ep.kind = EP_INTERNET;
		ep.ip = ANALYZE_INTERNET_IP;
	} else if (has_prefix(text, "internet:")) {
		ep.kind = EP_INTERNET;
		if (ip4_parse(text + 9, &ep.ip) < 0)
			return -EINVAL;
	} else if (ip4_parse(text, &ep.ip) == 0) {
		ep.kind = EP_IP;
	} else if (has_prefix(text, "i-") || has_prefix(text, "eni-") ||
		   has_prefix(text, "igw-")) {
		ep.kind = text[0] == 'i' && text[1] == '-' ? EP_INSTANCE
			  : text[1] == 'n'                 ? EP_ENI
							   : EP_IGW;
		snprintf(ep.id, sizeof(ep.id), "%s", text);
		bool found = false;
		if (ep.kind == EP_INSTANCE)
			found = sem_instance(s, text) != NULL;
		else if (ep.kind == EP_ENI)
			found = sem_eni(s, text) != NULL;
		else
			for (size_t i = 0; i < s->n_igws; i++)
				found |= !strcmp(s->igws[i].head.id, text);
		if (!found)
			return -ENOENT;
	} else {
		/* An instance's Name tag; terminated instances do not count. */
		const struct instance *hit = NULL;
		for (size_t i = 0; i < s->n_instances; i++) {
			const struct instance *in = &s->instances[i];
			const char *n = name_of(&in->head);
			if (!n || strcmp(n, text) || in->state == INSTANCE_TERMINATED)
				continue;
			if (hit)
				return -EEXIST;
			hit = in;
		}
		if (!hit)
			return -ENOENT;
		ep.kind = EP_INSTANCE;
		snprintf(ep.id, sizeof(ep.id), "%s", hit->head.id);
	}
	*ret = ep;
	return 0;
}
