// SPDX-License-Identifier: MIT
/* Flow-log names, formats and destinations; see flow_log.h.  Pure. */
#include "model/flow_log.h"

#include <errno.h>
#include <string.h>

#include "model/instance.h"

const char FL_FORMAT_V2[] = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} "
			    "${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} "
			    "${end} ${action} ${log-status}";

static const char *const resources[FL_RES_COUNT] = {
	[FL_RES_VPC] = "VPC", [FL_RES_SUBNET] = "Subnet", [FL_RES_ENI] = "NetworkInterface",
};
static const char *const traffics[FL_TRAFFIC_COUNT] = {
	[FL_TRAFFIC_ACCEPT] = "ACCEPT", [FL_TRAFFIC_REJECT] = "REJECT", [FL_TRAFFIC_ALL] = "ALL",
};
static const char *const dests[FL_DEST_COUNT] = {
	[FL_DEST_CLOUDWATCH] = "cloud-watch-logs", [FL_DEST_S3] = "s3",
};
static const char *const fields[FL_F_COUNT] = {
	[FL_F_VERSION] = "version",	    [FL_F_ACCOUNT_ID] = "account-id",
	[FL_F_INTERFACE_ID] = "interface-id", [FL_F_SRCADDR] = "srcaddr",
	[FL_F_DSTADDR] = "dstaddr",	    [FL_F_SRCPORT] = "srcport",
	[FL_F_DSTPORT] = "dstport",	    [FL_F_PROTOCOL] = "protocol",
	[FL_F_PACKETS] = "packets",	    [FL_F_BYTES] = "bytes",
	[FL_F_START] = "start",		    [FL_F_END] = "end",
	[FL_F_ACTION] = "action",	    [FL_F_LOG_STATUS] = "log-status",
};

static int parse(const char *const *names, int n, const char *s, int *ret)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i])) {
			*ret = i;
			return 0;
		}
	return -EINVAL;
}

const char *fl_resource_name(enum fl_resource r)
{
	return r < FL_RES_COUNT ? resources[r] : "VPC";
}

int fl_resource_parse(const char *s, enum fl_resource *ret)
{
	int v, r = parse(resources, FL_RES_COUNT, s, &v);
	if (!r)
		*ret = (enum fl_resource)v;
	return r;
}

const char *fl_traffic_name(enum fl_traffic t)
{
	return t < FL_TRAFFIC_COUNT ? traffics[t] : "ALL";
}

int fl_traffic_parse(const char *s, enum fl_traffic *ret)
{
	int v, r = parse(traffics, FL_TRAFFIC_COUNT, s, &v);
	if (!r)
		*ret = (enum fl_traffic)v;
	return r;
}

const char *fl_dest_name(enum fl_dest d)
{
	return d < FL_DEST_COUNT ? dests[d] : "cloud-watch-logs";
}

int fl_dest_parse(const char *s, enum fl_dest *ret)
{
	int v, r = parse(dests, FL_DEST_COUNT, s, &v);
	if (!r)
		*ret = (enum fl_dest)v;
	return r;
}

const char *fl_field_name(enum fl_field f)
{
	return f < FL_F_COUNT ? fields[f] : "version";
}

int fl_format_parse(const char *s, enum fl_field *ret, size_t *ret_n, size_t *ret_bad)
{
	size_t n = 0;
	const char *p = s;
	while (*p) {
		const char *start = p;
		const char *close = strchr(p, '}');
		bool found = false;
		if (p[0] == '$' && p[1] == '{' && close && n < FL_FORMAT_FIELDS_MAX) {
			size_t len = (size_t)(close - p - 2);
			for (int i = 0; i < FL_F_COUNT && !found; i++)
				if (strlen(fields[i]) == len && !memcmp(p + 2, fields[i], len)) {
					ret[n++] = (enum fl_field)i;
					found = true;
				}
		}
		if (!found) {
			*ret_bad = (size_t)(start - s);
			return -EINVAL;
		}
		p = close + 1;
		if (*p == ' ' && p[1])
			p++;
		else if (*p) {
			*ret_bad = (size_t)(p - s);
			return -EINVAL;
		}
	}
	if (!n) {
		*ret_bad = 0;
		return -EINVAL;
	}
	*ret_n = n;
	return 0;
}

int fl_s3_parse(const char *arn, size_t *ret_bucket_len, const char **ret_prefix)
{
	static const char head[] = "arn:aws:s3:::";
	if (strncmp(arn, head, sizeof(head) - 1))
		return -EINVAL;
	const char *b = arn + sizeof(head) - 1, *slash = strchr(b, '/');
	size_t len = slash ? (size_t)(slash - b) : strlen(b);
	if (len < 3 || len > 63)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = b[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return -EINVAL;
	}
	if (b[0] == '.' || b[0] == '-' || b[len - 1] == '.' || b[len - 1] == '-')
		return -EINVAL;
	const char *prefix = slash ? slash + 1 : "";
	/* AWS: the prefix cannot be AWSLogs (that is where records go), nor
	 * start with a slash; no ".." either, so it stays inside its bucket. */
	if (!strcmp(prefix, "AWSLogs") || prefix[0] == '/' || strstr(prefix, "..") ||
	    strlen(prefix) > 512)
		return -EINVAL;
	for (const char *c = prefix; *c; c++)
		if (*c < 0x21 || *c > 0x7e || *c == '\\')
			return -EINVAL;
	*ret_bucket_len = len;
	*ret_prefix = prefix;
	return 0;
}

bool fl_covers(const struct flow_log *f, const struct eni *e)
{
	switch (f->resource_type) {
	case FL_RES_VPC: return !strcmp(f->resource_id, e->vpc_id);
	case FL_RES_SUBNET: return !strcmp(f->resource_id, e->subnet_id);
	case FL_RES_ENI: return !strcmp(f->resource_id, e->head.id);
	case FL_RES_COUNT: break;
	}
	return false;
}

bool fl_wants(const struct flow_log *f, bool is_accept)
{
	return f->traffic == FL_TRAFFIC_ALL ||
	       (f->traffic == FL_TRAFFIC_ACCEPT) == is_accept;
}

bool fl_log_group_valid(const char *name)
{
	size_t len = strlen(name);
	if (len < 1 || len > 512)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("._-/#", *c)))
			return false;
	/* Ours: the group is a directory below the state dir, so no segment
	 * may climb out of it. */
	for (const char *seg = name; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
	}
	return true;
}
