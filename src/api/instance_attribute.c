// SPDX-License-Identifier: MIT
/* DescribeInstanceAttribute: one attribute of an instance, in AWS's shape
 * (each value wrapped in <value>, the groups as groupSet).  The attributes
 * localvpc has no notion of (kernel, ramdisk, product codes, …) answer what
 * AWS answers for a plain HVM instance with no such settings. */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/instance.h"
#include "model/instance.h"
#include "util/arena.h"

static void value_str(struct api_call *c, const char *attr, const char *v)
{
	xml_open(c->x, attr);
	xml_str(c->x, "value", v);
	xml_close(c->x);
}

static void value_bool(struct api_call *c, const char *attr, bool v)
{
	xml_open(c->x, attr);
	xml_bool(c->x, "value", v);
	xml_close(c->x);
}

static void user_data(struct api_call *c, const struct instance *in)
{
	if (!in->user_data || !in->user_data_size) {
		xml_empty(c->x, "userData");
		return;
	}
	char *b64 = arena_alloc(c->arena, (in->user_data_size + 2) / 3 * 4 + 1);
	EVP_EncodeBlock((unsigned char *)b64, in->user_data, (int)in->user_data_size);
	value_str(c, "userData", b64);
}

static void group_set(struct api_call *c, const struct instance *in)
{
	xml_open(c->x, "groupSet");
	for (size_t i = 0; in->eni && i < in->eni->n_groups; i++) {
		xml_open(c->x, "item");
		xml_str(c->x, "groupId", in->eni->group_ids[i]);
		xml_str(c->x, "groupName", in->eni->group_names[i]);
		xml_close(c->x);
	}
	xml_close(c->x);
}

static int describe_instance_attribute(struct api_call *c)
{
	const char *id, *attr;
	struct instance *in;
	int r;
	if ((r = api_get_id(c, "InstanceId", "i", ERR_INSTANCE_MALFORMED, true, &id)) < 0 ||
	    (r = api_get_str(c, "Attribute", true, &attr)) < 0)
		return r;
	static const char *const known[] = {
		"instanceType", "kernel", "ramdisk", "userData", "disableApiTermination",
		"instanceInitiatedShutdownBehavior", "rootDeviceName", "blockDeviceMapping",
		"productCodes", "sourceDestCheck", "groupSet", "ebsOptimized", "sriovNetSupport",
		"enaSupport", "enclaveOptions", "disableApiStop",
	};
	size_t k = 0;
	while (k < sizeof(known) / sizeof(known[0]) && strcmp(known[k], attr))
		k++;
	if (k == sizeof(known) / sizeof(known[0]))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Value (%s) for parameter attribute is invalid. "
						       "Unknown attribute.", attr));
	if ((r = api_instance_load(c, id, &in)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	xml_str(c->x, "instanceId", id);
	if (!strcmp(attr, "instanceType"))
		value_str(c, attr, in->instance_type);
	else if (!strcmp(attr, "userData"))
		user_data(c, in);
	else if (!strcmp(attr, "sourceDestCheck"))
		value_bool(c, attr, !in->eni || in->eni->source_dest_check);
	else if (!strcmp(attr, "groupSet"))
		group_set(c, in);
	else if (!strcmp(attr, "instanceInitiatedShutdownBehavior"))
		value_str(c, attr, "stop");
	else if (!strcmp(attr, "rootDeviceName"))
		value_str(c, attr, "/dev/xvda");
	else if (!strcmp(attr, "sriovNetSupport"))
		value_str(c, attr, "simple");
	else if (!strcmp(attr, "enaSupport"))
		value_bool(c, attr, true);
	else if (!strcmp(attr, "disableApiTermination") || !strcmp(attr, "ebsOptimized") ||
		 !strcmp(attr, "disableApiStop"))
		value_bool(c, attr, false);
	else if (!strcmp(attr, "enclaveOptions")) {
		xml_open(c->x, attr);
		xml_bool(c->x, "enabled", false);
		xml_close(c->x);
	} else if (!strcmp(attr, "blockDeviceMapping") || !strcmp(attr, "productCodes"))
		xml_empty(c->x, attr);
	else /* kernel, ramdisk: none on an HVM instance */
		xml_empty(c->x, attr);
	return 0;
}

const struct api_action api_instance_attribute_actions[] = {
	{ "DescribeInstanceAttribute", describe_instance_attribute,
	  API_PARAMS("InstanceId", "Attribute") },
	{ NULL, NULL, NULL },
};
