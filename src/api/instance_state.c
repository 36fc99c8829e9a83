// SPDX-License-Identifier: MIT
/* The instance lifecycle over the API (spec §14): Start, Stop, Reboot,
 * Terminate, DescribeInstanceStatus, GetConsoleOutput, and the attributes
 * ModifyInstanceAttribute changes.  The store holds the desired state; the
 * reconciler starts and stops sandboxes to match before the call answers. */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "api/address.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/instance.h"
#include "api/network_interface.h"
#include "model/instance.h"
#include "model/security_group.h"
#include "priv/priv.h"
#include "store/instance.h"
#include "store/security_group.h"
#include "store/store.h"
#include "util/arena.h"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

/* Loads every instance named by InstanceId.N (at least one). */
static int load_all(struct api_call *c, struct instance ***ret, size_t *ret_n)
{
	const char **ids;
	size_t n;
	int r = api_get_id_list(c, "InstanceId", "i", ERR_INSTANCE_MALFORMED, &ids, &n);
	if (r < 0)
		return r;
	if (!n)
		return api_fail(c, ERR_MISSING_PARAMETER, "InstanceId");
	struct instance **v = arena_alloc_array(c->arena, n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		if ((r = api_instance_load(c, ids[i], &v[i])) < 0)
			return r;
	*ret = v;
	*ret_n = n;
	return 0;
}

static void write_change(struct api_call *c, const struct instance *in, enum instance_state cur,
			 enum instance_state prev)
{
	xml_open(c->x, "item");
	xml_str(c->x, "instanceId", in->head.id);
	xml_open(c->x, "currentState");
	xml_int(c->x, "code", instance_state_code(cur));
	xml_str(c->x, "name", instance_state_name(cur));
	xml_close(c->x);
	xml_open(c->x, "previousState");
	xml_int(c->x, "code", instance_state_code(prev));
	xml_str(c->x, "name", instance_state_name(prev));
	xml_close(c->x);
	xml_close(c->x);
}

static int set_state(struct api_call *c, struct instance *in, enum instance_state st)
{
	in->state = st;
	in->state_time = c->now;
	in->state_reason = st == INSTANCE_STOPPED || st == INSTANCE_TERMINATED
				   ? "User initiated"
				   : "";
	return store_instance_set_state(c->st, in) < 0 ? internal(c) : 0;
}

static int stop_instances(struct api_call *c)
{
	struct instance **v;
	size_t n;
	int r;
	if ((r = load_all(c, &v, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (v[i]->state == INSTANCE_TERMINATED)
			return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, v[i]->head.id, "stopped");
	if ((r = api_dry_run(c)) < 0)
		return r;
	xml_open(c->x, "instancesSet");
	for (size_t i = 0; i < n; i++) {
		struct instance *in = v[i];
		enum instance_state prev = in->state;
		if (prev != INSTANCE_STOPPED) {
			if ((r = set_state(c, in, INSTANCE_STOPPED)) < 0)
				return r;
			/* SUB-12 keeps the private IP; the auto-assigned public
			 * IPv4 is released on stop (EIP-10: an Elastic IP stays). */
			if (in->eni && in->eni->public_ip && !api_eip_of_eni(c, in->eni->head.id)) {
				in->eni->public_ip = 0;
				if (store_eni_update(c->st, in->eni) < 0)
					return internal(c);
			}
		}
		write_change(c, in, prev == INSTANCE_STOPPED ? INSTANCE_STOPPED : INSTANCE_STOPPING,
			     prev);
	}
	xml_close(c->x);
	return 0;
}

static int start_instances(struct api_call *c)
{
	struct instance **v;
	size_t n;
	int r;
	if ((r = load_all(c, &v, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (v[i]->state == INSTANCE_TERMINATED)
			return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, v[i]->head.id, "started");
	if ((r = api_dry_run(c)) < 0)
		return r;
	xml_open(c->x, "instancesSet");
	for (size_t i = 0; i < n; i++) {
		struct instance *in = v[i];
		enum instance_state prev = in->state;
		if (prev == INSTANCE_STOPPED) {
			if ((r = set_state(c, in, INSTANCE_RUNNING)) < 0)
				return r;
			/* A new auto-assigned public IPv4 at each start. */
			if (in->eni && in->eni->wants_public_ip && !in->eni->public_ip) {
				if ((r = api_public_ip_alloc(c, &in->eni->public_ip)) < 0)
					return r;
				if (store_eni_update(c->st, in->eni) < 0)
					return internal(c);
			}
		}
		write_change(c, in, prev == INSTANCE_STOPPED ? INSTANCE_PENDING : in->state, prev);
	}
	xml_close(c->x);
	return 0;
}

static int reboot_instances(struct api_call *c)
{
	struct instance **v;
	size_t n;
	int r;
	if ((r = load_all(c, &v, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (v[i]->state == INSTANCE_TERMINATED)
			return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, v[i]->head.id, "rebooted");
	if ((r = api_dry_run(c)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (v[i]->state != INSTANCE_RUNNING)
			continue; /* AWS ignores a reboot of a stopped instance */
		v[i]->boot_gen++;
		if (store_instance_update(c->st, v[i]) < 0)
			return internal(c);
	}
	api_write_return(c);
	return 0;
}

/* ENI-1: ENIs with DeleteOnTermination go with the instance (their
 * addresses are free again, an Elastic IP is disassociated: EIP-10); the
 * others are detached and become available, without the auto-assigned
 * public IPv4 (EIP-9: released on terminate) but with their Elastic IP. */
static int release_enis(struct api_call *c, struct instance *in)
{
	for (size_t i = 0; i < in->n_enis; i++) {
		struct eni *e = in->enis[i];
		if (e->delete_on_termination) {
			if (store_eni_delete(c->st, e->head.id) < 0)
				return internal(c);
			continue;
		}
		e->instance_id[0] = '\0';
		e->attachment_id[0] = '\0';
		e->device_index = -1;
		if (!api_eip_of_eni(c, e->head.id))
			e->public_ip = 0;
		e->wants_public_ip = false;
		if (store_eni_update(c->st, e) < 0)
			return internal(c);
	}
	return 0;
}

static int terminate_instances(struct api_call *c)
{
	struct instance **v;
	size_t n;
	int r;
	if ((r = load_all(c, &v, &n)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	xml_open(c->x, "instancesSet");
	for (size_t i = 0; i < n; i++) {
		struct instance *in = v[i];
		enum instance_state prev = in->state;
		if (prev != INSTANCE_TERMINATED) {
			if ((r = set_state(c, in, INSTANCE_TERMINATED)) < 0)
				return r;
			if ((r = release_enis(c, in)) < 0)
				return r;
		}
		write_change(c, in,
			     prev == INSTANCE_TERMINATED ? INSTANCE_TERMINATED
							 : INSTANCE_SHUTTING_DOWN,
			     prev);
	}
	xml_close(c->x);
	return 0;
}

static const char *const status_filters[] = {
	"availability-zone", "instance-state-name", "instance-state-code",
	"instance-status.status", "system-status.status", NULL,
};

static void status_values(struct api_call *c, const void *item, const char *name,
			  struct strv *out)
{
	const struct instance *in = item;
	if (!strcmp(name, "availability-zone"))
		strv_add(c, out, in->az);
	else if (!strcmp(name, "instance-state-name"))
		strv_add(c, out, instance_state_name(in->state));
	else if (!strcmp(name, "instance-state-code"))
		strv_add(c, out, arena_printf(c->arena, "%d", instance_state_code(in->state)));
	else if (!strcmp(name, "instance-status.status") || !strcmp(name, "system-status.status"))
		strv_add(c, out, in->state == INSTANCE_RUNNING ? "ok" : "not-applicable");
}

static void write_status(struct api_call *c, const char *name, bool running)
{
	xml_open(c->x, name);
	xml_str(c->x, "status", running ? "ok" : "not-applicable");
	xml_open(c->x, "details");
	if (running) {
		xml_open(c->x, "item");
		xml_str(c->x, "name", "reachability");
		xml_str(c->x, "status", "passed");
		xml_close(c->x);
	}
	xml_close(c->x);
	xml_close(c->x);
}

static void status_item(struct api_call *c, const void *item)
{
	const struct instance *in = item;
	bool running = in->state == INSTANCE_RUNNING;
	xml_str(c->x, "instanceId", in->head.id);
	xml_str(c->x, "availabilityZone", in->az);
	xml_open(c->x, "instanceState");
	xml_int(c->x, "code", instance_state_code(in->state));
	xml_str(c->x, "name", instance_state_name(in->state));
	xml_close(c->x);
	write_status(c, "systemStatus", running);
	write_status(c, "instanceStatus", running);
	xml_empty(c->x, "eventsSet");
}

static int describe_instance_status(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "InstanceId",
		.id_prefix = "i",
		.malformed = ERR_INSTANCE_MALFORMED,
		.not_found = ERR_INSTANCE_NOT_FOUND,
		.filters = status_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "instanceStatusSet",
		.item_size = sizeof(struct instance),
		.values = status_values,
		.write = status_item,
	};
	struct instance *v;
	size_t n, k = 0;
	bool all = false;
	int r = api_get_bool(c, "IncludeAllInstances", &all);
	if (r < 0)
		return r;
	if (store_instance_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	/* Without IncludeAllInstances only running instances are listed;
	 * explicit IDs must still exist, so keep them for the engine's check. */
	bool ids = params_list_len(c->p, "InstanceId") > 0;
	for (size_t i = 0; i < n; i++)
		if (all || ids || v[i].state == INSTANCE_RUNNING)
			v[k++] = v[i];
	return api_describe(c, &spec, v, k);
}

static int get_console_output(struct api_call *c)
{
	const char *id;
	struct instance *in;
	int r;
	if ((r = api_get_id(c, "InstanceId", "i", ERR_INSTANCE_MALFORMED, true, &id)) < 0 ||
	    (r = api_instance_load(c, id, &in)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	struct priv_request req = { .op = PRIV_CONSOLE_READ };
	struct priv_reply rep;
	snprintf(req.instance_id, sizeof(req.instance_id), "%s", id);
	r = priv_call(c->cfg->priv, &req, &rep);
	xml_str(c->x, "instanceId", id);
	xml_str(c->x, "timestamp", arena_printf(c->arena, "%s", "2026-01-01T00:00:00.000Z"));
	if (r == 0 && rep.data) {
		/* AWS returns the last 64 KiB, base64-encoded. */
		size_t size = rep.data_size, off = size > 65536 ? size - 65536 : 0;
		char *b64 = arena_alloc(c->arena, (size - off + 2) / 3 * 4 + 1);
		EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)rep.data + off,
				(int)(size - off));
		xml_str(c->x, "output", b64);
	}
	free(rep.data);
	return 0;
}

static int get_value_bool(struct api_call *c, const char *name, bool *ret, bool *given)
{
	*given = params_get(c->p, name) != NULL;
	return *given ? api_get_bool(c, name, ret) : 0;
}

static int modify_instance_attribute(struct api_call *c)
{
	const char *id, *attr = NULL, *value = NULL, *type = NULL;
	struct instance *in;
	bool sdc = true, has_sdc;
	const char **groups;
	size_t n_groups;
	int r;
	if ((r = api_get_id(c, "InstanceId", "i", ERR_INSTANCE_MALFORMED, true, &id)) < 0 ||
	    (r = get_value_bool(c, "SourceDestCheck.Value", &sdc, &has_sdc)) < 0 ||
	    (r = api_get_str(c, "InstanceType.Value", false, &type)) < 0 ||
	    (r = api_get_id_list(c, "GroupId", "sg", ERR_SG_MALFORMED, &groups, &n_groups)) < 0 ||
	    (r = api_get_str(c, "Attribute", false, &attr)) < 0 ||
	    (r = api_get_str(c, "Value", false, &value)) < 0)
		return r;
	/* The legacy flat form: Attribute=sourceDestCheck&Value=false. */
	if (attr) {
		if (!value)
			return api_fail(c, ERR_MISSING_PARAMETER, "Value");
		if (!strcmp(attr, "sourceDestCheck")) {
			if (strcmp(value, "true") && strcmp(value, "false"))
				return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
						"Value must be true or false");
			has_sdc = true;
			sdc = !strcmp(value, "true");
		} else if (!strcmp(attr, "instanceType")) {
			type = value;
		} else {
			return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
					arena_printf(c->arena, "Value (%s) for parameter attribute "
							       "is invalid.", attr));
		}
	}
	int given = has_sdc + (type != NULL) + (n_groups > 0);
	if (!given)
		return api_fail(c, ERR_MISSING_PARAMETER, "Attribute");
	if (given > 1)
		return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
				"Only one attribute can be modified at a time");
	if ((r = api_instance_load(c, id, &in)) < 0)
		return r;
	if (in->state == INSTANCE_TERMINATED || !in->eni)
		return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, id, "modified");
	/* ENI-5: the instance form names "the" interface; with several the
	 * caller must use ModifyNetworkInterfaceAttribute (real-AWS test,
	 * checked before the groups themselves). */
	if ((has_sdc || n_groups) && in->n_enis > 1)
		return api_fail(c, ERR_INSTANCE_MULTI_ENI, id);
	n_groups = api_ids_dedupe(groups, n_groups);
	if (n_groups > SG_GROUPS_PER_ENI) /* SG-16 */
		return api_fail(c, ERR_SG_PER_INSTANCE_LIMIT);
	if (type) {
		if (!api_instance_type_known(type))
			return api_fail(c, ERR_INVALID_INSTANCE_TYPE, type);
		if (in->state != INSTANCE_STOPPED)
			return api_fail(c, ERR_INCORRECT_INSTANCE_STATE, id, "modified");
	}
	for (size_t i = 0; i < n_groups; i++) {
		const char *vpc;
		r = store_sg_vpc(c->st, c->arena, groups[i], &vpc);
		if (r == -ENOENT || (r == 0 && strcmp(vpc, in->vpc_id)))
			return api_fail(c, ERR_SG_NOT_FOUND_ID, groups[i], in->vpc_id);
		if (r < 0)
			return internal(c);
	}
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (has_sdc)
		in->eni->source_dest_check = sdc;
	if (n_groups) {
		in->eni->group_ids = groups;
		in->eni->n_groups = n_groups;
	}
	if (type)
		snprintf(in->instance_type, sizeof(in->instance_type), "%s", type);
	if (store_eni_update(c->st, in->eni) < 0 || store_instance_update(c->st, in) < 0)
		return internal(c);
	api_write_return(c);
	return 0;
}

const struct api_action api_instance_state_actions[] = {
	{ "StopInstances", stop_instances, API_PARAMS("InstanceId", "Force", "Hibernate") },
	{ "StartInstances", start_instances, API_PARAMS("InstanceId", "AdditionalInfo") },
	{ "RebootInstances", reboot_instances, API_PARAMS("InstanceId") },
	{ "TerminateInstances", terminate_instances, API_PARAMS("InstanceId") },
	{ "DescribeInstanceStatus", describe_instance_status,
	  API_PARAMS("InstanceId", "Filter", "MaxResults", "NextToken", "IncludeAllInstances") },
	{ "GetConsoleOutput", get_console_output, API_PARAMS("InstanceId", "Latest") },
	{ "ModifyInstanceAttribute", modify_instance_attribute,
	  API_PARAMS("InstanceId", "SourceDestCheck", "InstanceType", "GroupId", "Attribute",
		     "Value") },
	{ NULL, NULL, NULL },
};
