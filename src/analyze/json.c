// SPDX-License-Identifier: MIT
/* An analysis as JSON (json-c), the shape `localvpc trace --json` prints
 * and tests compare with real packets.  Stable: fields are only ever
 * added.  Version 1:
 *
 *   { "version": 1,
 *     "probe": { "source": ENDPOINT, "destination": ENDPOINT,
 *                "protocol": "tcp"|"udp"|"icmp"|"<number>",
 *                "port": N, "source_port": N },
 *     "reachable": bool,                 NetworkPathFound
 *     "forward": [ HOP… ],               ForwardPathComponents
 *     "return": [ HOP… ],                the replies' path (when the forward
 *                                        path got through)
 *     "explanations": [ { "code", "component_type", "component_id",
 *                         "direction" (null|"ingress"|"egress"), "text",
 *                         "is_return", "suggestion" (null|string) } … ],
 *     "suggestion": null|string,         the smallest change that allows it
 *     "notes": string }                  assumptions ("" when none)
 *   ENDPOINT = { "kind": "instance"|"eni"|"ip"|"internet"|"igw",
 *                "id": string|null, "ip": "a.b.c.d"|null }
 *   HOP = { "sequence": 1…, "component_type": "AWS::EC2::…",
 *           "component_id", "name", "allowed": bool,
 *           "direction": null|"ingress"|"egress", "rule": string,
 *           "rule_id": null|"sgr-…", "acl_rule_number": null|N,
 *           "packet": { "source", "destination", "source_port",
 *                       "destination_port", "protocol" } }   after the hop
 * Pure. */
#include "analyze/analyze.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/cidr.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *ip_obj(uint32_t ip)
{
	char b[IP4_STR_MAX];
	return json_object_new_string(ip4_format(ip, b));
}

static const char *proto_name(int p, char out[8])
{
	if (p == 6)
		return "tcp";
	if (p == 17)
		return "udp";
	if (p == 1)
		return "icmp";
	snprintf(out, 8, "%d", p);
	return out;
}

static json_object *endpoint_obj(const struct endpoint *e)
{
	static const char *const kinds[] = { [EP_INSTANCE] = "instance", [EP_ENI] = "eni",
					     [EP_IP] = "ip", [EP_INTERNET] = "internet",
					     [EP_IGW] = "igw" };
	json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(kinds[e->kind]));
	json_object_object_add(o, "id", e->id[0] ? json_object_new_string(e->id) : NULL);
	json_object_object_add(o, "ip", e->ip ? ip_obj(e->ip) : NULL);
	return o;
}

static json_object *hops_obj(const struct hop *v, size_t n)
{
	char pb[8];
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct hop *h = &v[i];
		json_object *o = json_object_new_object(), *k = json_object_new_object();
		json_object_object_add(o, "sequence", json_object_new_int((int)i + 1));
		json_object_object_add(o, "component_type",
				       json_object_new_string(h->component_type));
		json_object_object_add(o, "component_id", json_object_new_string(h->component_id));
		json_object_object_add(o, "name", json_object_new_string(h->name ? h->name : ""));
		json_object_object_add(o, "allowed", json_object_new_boolean(h->allowed));
		json_object_object_add(o, "direction", str_or_null(h->direction));
		json_object_object_add(o, "rule", json_object_new_string(h->rule));
		json_object_object_add(o, "rule_id",
				       h->rule_id[0] ? json_object_new_string(h->rule_id) : NULL);
		json_object_object_add(o, "acl_rule_number",
				       h->acl_rule_number >= 0
					       ? json_object_new_int(h->acl_rule_number)
					       : NULL);
		json_object_object_add(k, "source", ip_obj(h->src_ip));
		json_object_object_add(k, "destination", ip_obj(h->dst_ip));
		json_object_object_add(k, "source_port", json_object_new_int(h->src_port));
		json_object_object_add(k, "destination_port", json_object_new_int(h->dst_port));
		json_object_object_add(k, "protocol",
				       json_object_new_string(proto_name(h->protocol, pb)));
		json_object_object_add(o, "packet", k);
		json_object_array_add(arr, o);
	}
	return arr;
}

const char *analyze_json(const struct analysis *an, const struct probe *p, struct arena *a)
{
	char pb[8];
	json_object *root = json_object_new_object(), *pr = json_object_new_object();
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(pr, "source", endpoint_obj(&p->src));
	json_object_object_add(pr, "destination", endpoint_obj(&p->dst));
	json_object_object_add(pr, "protocol", json_object_new_string(proto_name(p->protocol, pb)));
	json_object_object_add(pr, "port", json_object_new_int(p->port));
	json_object_object_add(pr, "source_port",
			       json_object_new_int(p->src_port ? p->src_port
							       : ANALYZE_EPHEMERAL_PORT));
	json_object_object_add(root, "probe", pr);
	json_object_object_add(root, "reachable", json_object_new_boolean(an->found));
	json_object_object_add(root, "forward", hops_obj(an->fwd, an->n_fwd));
	json_object_object_add(root, "return", hops_obj(an->ret, an->n_ret));
	json_object *why = json_object_new_array();
	for (size_t i = 0; i < an->n_why; i++) {
		const struct explanation *x = &an->why[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(x->code));
		json_object_object_add(o, "component_type",
				       json_object_new_string(x->component_type));
		json_object_object_add(o, "component_id", json_object_new_string(x->component_id));
		json_object_object_add(o, "direction", str_or_null(x->direction));
		json_object_object_add(o, "text", json_object_new_string(x->text));
		json_object_object_add(o, "is_return", json_object_new_boolean(x->is_return));
		json_object_object_add(o, "suggestion", str_or_null(x->suggestion));
		json_object_array_add(why, o);
	}
	json_object_object_add(root, "explanations", why);
	json_object_object_add(root, "suggestion", str_or_null(an->suggestion));
	json_object_object_add(root, "notes",
			       json_object_new_string(an->notes ? an->notes : ""));
	const char *out = arena_strdup(a, json_object_to_json_string_ext(
						  root, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
