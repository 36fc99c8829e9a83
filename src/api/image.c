// SPDX-License-Identifier: MIT
/* DescribeImages and DescribeInstanceTypes: the one image localvpc ships (a
 * Debian 12 root file system built by scripts/build-image) and a small set
 * of instance types, sized for a laptop rather than a data centre. */
#include <string.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/instance.h"
#include "util/arena.h"

struct image_item {
	struct res_head head;
};

static const char IMAGE_NAME[] = "debian-12-localvpc";

static const char *const image_filters[] = {
	"architecture", "image-id", "image-type", "is-public", "name", "owner-alias",
	"owner-id", "platform-details", "root-device-type", "state", "virtualization-type",
	"description", NULL,
};

static void image_values(struct api_call *c, const void *item, const char *name,
			 struct strv *out)
{
	(void)item;
	static const char *const fixed[][2] = {
		{ "architecture", "x86_64" },   { "image-id", DEFAULT_IMAGE_ID },
		{ "image-type", "machine" },    { "is-public", "true" },
		{ "name", IMAGE_NAME },         { "owner-alias", "amazon" },
		{ "owner-id", "000000000000" }, { "platform-details", "Linux/UNIX" },
		{ "root-device-type", "ebs" },  { "state", "available" },
		{ "virtualization-type", "hvm" },
		{ "description", "Debian 12 (bookworm) with OpenSSH, iptables, iproute2, curl, "
				 "python3, sudo" },
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(name, fixed[i][0]))
			strv_add(c, out, fixed[i][1]);
}

static void image_write(struct api_call *c, const void *item)
{
	(void)item;
	xml_str(c->x, "imageId", DEFAULT_IMAGE_ID);
	xml_str(c->x, "imageLocation", "localvpc/debian-12-localvpc");
	xml_str(c->x, "imageState", "available");
	xml_str(c->x, "imageOwnerId", "000000000000");
	xml_str(c->x, "imageOwnerAlias", "amazon");
	xml_str(c->x, "creationDate", "2026-01-01T00:00:00.000Z");
	xml_bool(c->x, "isPublic", true);
	xml_str(c->x, "architecture", "x86_64");
	xml_str(c->x, "imageType", "machine");
	xml_str(c->x, "platformDetails", "Linux/UNIX");
	xml_str(c->x, "usageOperation", "RunInstances");
	xml_str(c->x, "name", IMAGE_NAME);
	xml_str(c->x, "description",
		"Debian 12 (bookworm) with OpenSSH, iptables, iproute2, curl, python3, sudo");
	xml_str(c->x, "rootDeviceType", "ebs");
	xml_str(c->x, "rootDeviceName", "/dev/xvda");
	xml_empty(c->x, "blockDeviceMapping");
	xml_str(c->x, "virtualizationType", "hvm");
	xml_str(c->x, "hypervisor", "xen");
	xml_bool(c->x, "enaSupport", true);
	xml_str(c->x, "bootMode", "uefi-preferred");
	xml_str(c->x, "imdsSupport", "v2.0");
	xml_empty(c->x, "tagSet");
}

static int describe_images(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "ImageId",
		.id_prefix = "ami",
		.malformed = ERR_AMI_MALFORMED,
		.not_found = ERR_AMI_NOT_FOUND,
		.filters = image_filters,
		.max_results_min = 5,
		.max_results_max = 1000,
		.set_name = "imagesSet",
		.item_size = sizeof(struct image_item),
		.values = image_values,
		.write = image_write,
	};
	struct image_item *it = arena_alloc(c->arena, sizeof(*it));
	memcpy(it->head.id, DEFAULT_IMAGE_ID, sizeof(DEFAULT_IMAGE_ID));
	/* Owner=self lists the account's own images: it has none. */
	const char **owners;
	size_t n_owners;
	int r = api_get_str_list(c, "Owner", &owners, &n_owners);
	if (r < 0)
		return r;
	bool listed = !n_owners;
	for (size_t i = 0; i < n_owners; i++)
		listed |= !strcmp(owners[i], "amazon") || !strcmp(owners[i], "000000000000");
	return api_describe(c, &spec, it, listed ? 1 : 0);
}

/* The types DescribeInstanceTypes lists; memory is what the sandbox's
 * cgroup will allow. */
static const struct itype {
	const char *name;
	int vcpus;
	int memory_mib;
} itypes[] = {
	{ "m1.small", 1, 1740 },  { "t2.nano", 1, 512 },    { "t2.micro", 1, 1024 },
	{ "t2.small", 1, 2048 },
	{ "t2.medium", 2, 4096 }, { "t3.nano", 2, 512 },   { "t3.micro", 2, 1024 },
	{ "t3.small", 2, 2048 },  { "t3.medium", 2, 4096 }, { "t3.large", 2, 8192 },
	{ "m5.large", 2, 8192 },  { "c5.large", 2, 4096 },
	{ "m5.4xlarge", 16, 65536 }, { "c5.4xlarge", 16, 32768 }, { "c5.24xlarge", 96, 196608 },
};

int api_instance_type_known(const char *type)
{
	for (size_t i = 0; i < sizeof(itypes) / sizeof(itypes[0]); i++)
		if (!strcmp(itypes[i].name, type))
			return 1;
	return 0;
}

struct itype_item {
	struct res_head head;
	const struct itype *t;
};

static const char *const itype_filters[] = {
	"instance-type", "vcpu-info.default-vcpus", "memory-info.size-in-mib",
	"current-generation", "processor-info.supported-architecture", NULL,
};

static void itype_values(struct api_call *c, const void *item, const char *name,
			 struct strv *out)
{
	const struct itype *t = ((const struct itype_item *)item)->t;
	if (!strcmp(name, "instance-type"))
		strv_add(c, out, t->name);
	else if (!strcmp(name, "vcpu-info.default-vcpus"))
		strv_add(c, out, arena_printf(c->arena, "%d", t->vcpus));
	else if (!strcmp(name, "memory-info.size-in-mib"))
		strv_add(c, out, arena_printf(c->arena, "%d", t->memory_mib));
	else if (!strcmp(name, "current-generation"))
		strv_add(c, out, "true");
	else if (!strcmp(name, "processor-info.supported-architecture"))
		strv_add(c, out, "x86_64");
}

static void itype_write(struct api_call *c, const void *item)
{
	const struct itype *t = ((const struct itype_item *)item)->t;
	xml_str(c->x, "instanceType", t->name);
	xml_bool(c->x, "currentGeneration", true);
	xml_bool(c->x, "freeTierEligible", !strcmp(t->name, "t2.micro"));
	xml_open(c->x, "supportedUsageClasses");
	xml_str(c->x, "item", "on-demand");
	xml_close(c->x);
	xml_open(c->x, "supportedRootDeviceTypes");
	xml_str(c->x, "item", "ebs");
	xml_close(c->x);
	xml_bool(c->x, "bareMetal", false);
	xml_str(c->x, "hypervisor", "nitro");
	xml_open(c->x, "processorInfo");
	xml_open(c->x, "supportedArchitectures");
	xml_str(c->x, "item", "x86_64");
	xml_close(c->x);
	xml_close(c->x);
	xml_open(c->x, "vCpuInfo");
	xml_int(c->x, "defaultVCpus", t->vcpus);
	xml_close(c->x);
	xml_open(c->x, "memoryInfo");
	xml_int(c->x, "sizeInMiB", t->memory_mib);
	xml_close(c->x);
	xml_bool(c->x, "instanceStorageSupported", false);
	xml_open(c->x, "networkInfo");
	xml_str(c->x, "networkPerformance", "Up to 5 Gigabit");
	xml_int(c->x, "maximumNetworkInterfaces", 1);
	xml_int(c->x, "ipv4AddressesPerInterface", 1);
	xml_bool(c->x, "ipv6Supported", false);
	xml_close(c->x);
}

static int describe_instance_types(struct api_call *c)
{
	static const struct describe_spec spec = {
		.filters = itype_filters,
		.max_results_min = 5,
		.max_results_max = 100,
		.set_name = "instanceTypeSet",
		.item_size = sizeof(struct itype_item),
		.values = itype_values,
		.write = itype_write,
	};
	const char **want;
	size_t n_want, n = sizeof(itypes) / sizeof(itypes[0]), k = 0;
	int r = api_get_str_list(c, "InstanceType", &want, &n_want);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n_want; i++)
		if (!api_instance_type_known(want[i]))
			return api_fail(c, ERR_INVALID_INSTANCE_TYPE, want[i]);
	struct itype_item *items = arena_alloc_array(c->arena, n, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		bool wanted = !n_want;
		for (size_t j = 0; j < n_want; j++)
			wanted |= !strcmp(want[j], itypes[i].name);
		if (!wanted)
			continue;
		items[k].head.seq = (int64_t)k;
		items[k].t = &itypes[i];
		k++;
	}
	return api_describe(c, &spec, items, k);
}

const struct api_action api_image_actions[] = {
	{ "DescribeImages", describe_images,
	  API_PARAMS("ImageId", "Owner", "ExecutableBy", "Filter", "MaxResults", "NextToken",
		     "IncludeDeprecated", "IncludeDisabled") },
	{ "DescribeInstanceTypes", describe_instance_types,
	  API_PARAMS("InstanceType", "Filter", "MaxResults", "NextToken") },
	{ NULL, NULL, NULL },
};
