// SPDX-License-Identifier: MIT
/* The offline importer (issue 8): a real AWS account's network, as the aws
 * CLI prints it (`aws ec2 describe-… --output json`), turned into the
 * struct snapshot the analyzer reads — no daemon, no store, no kernel.
 *
 * One file per Describe call in DIR, each named after the call with or
 * without its verb: vpcs.json or describe-vpcs.json, subnets.json,
 * route-tables.json, security-groups.json, network-acls.json,
 * instances.json, network-interfaces.json, internet-gateways.json,
 * nat-gateways.json, vpc-peering-connections.json.  Only vpcs.json is
 * required; a missing file is an empty list, a missing field its AWS
 * default.  Malformed JSON, a wrong type or a bad address is an error
 * naming the file and the field.  Never writes anything. */
#ifndef IMPORT_AWS_JSON_H
#define IMPORT_AWS_JSON_H
#include <stddef.h>

struct arena;
struct snapshot;

enum aws_json_kind {
	AWS_JSON_VPCS,
	AWS_JSON_SUBNETS,
	AWS_JSON_ROUTE_TABLES,
	AWS_JSON_SECURITY_GROUPS,
	AWS_JSON_NETWORK_ACLS,
	AWS_JSON_INSTANCES,
	AWS_JSON_NETWORK_INTERFACES,
	AWS_JSON_INTERNET_GATEWAYS,
	AWS_JSON_NAT_GATEWAYS,
	AWS_JSON_PEERINGS,
	AWS_JSON_KINDS
};

/* The file's base name without ".json" ("vpcs", "route-tables", …). */
const char *import_aws_json_name(enum aws_json_kind k);

/* The documents, one per kind; text NULL = the file is absent.  Each text
 * is len bytes and need not be NUL-terminated. */
struct aws_json_input {
	const char *text[AWS_JSON_KINDS];
	size_t len[AWS_JSON_KINDS];
};

/* Builds *ret from the documents; everything it holds lives on a.
 * Returns 0, or -EINVAL with a message in err (errlen bytes) when a
 * document is malformed or vpcs is absent. */
int import_aws_json_buffers(const struct aws_json_input *in, struct arena *a, struct snapshot *ret,
			    char *err, size_t errlen);

/* Reads the files of dir (each at most 64 MiB) and imports them as above.
 * Returns 0, -ENOENT when dir has no vpcs.json, -EIO when a file cannot be
 * read, -EINVAL when one is malformed; err says which and why. */
int import_aws_json(const char *dir, struct arena *a, struct snapshot *ret, char *err,
		    size_t errlen);

#endif
