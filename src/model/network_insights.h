// SPDX-License-Identifier: MIT
/* Reachability Analyzer (issue 8): a network insights path names a source,
 * a destination, a protocol and optionally a port; an analysis of a path
 * is its verdict at one moment, kept as it was found even when the network
 * changes later (AWS keeps an analysis's result).  Plain data and AWS's
 * rules on it.  Pure. */
#ifndef MODEL_NETWORK_INSIGHTS_H
#define MODEL_NETWORK_INSIGHTS_H
#include <stdbool.h>
#include <stdint.h>

#include "model/resource.h"

/* What a Source or Destination ID names, from its prefix. */
enum ni_res {
	NI_RES_INSTANCE,    /* i-… */
	NI_RES_ENI,         /* eni-… */
	NI_RES_IGW,         /* igw-… */
	NI_RES_UNSUPPORTED, /* an AWS type localvpc does not model (tgw-, vpce-, vgw-, pcx-…) */
	NI_RES_INVALID,     /* not a resource ID AWS accepts here */
};

enum ni_status { NI_STATUS_RUNNING, NI_STATUS_SUCCEEDED, NI_STATUS_FAILED, NI_STATUS_COUNT };

struct ni_path {
	struct res_head head;        /* nip-… */
	char source[ID_MAX];
	char destination[ID_MAX];    /* "" when only DestinationIp is given */
	uint32_t source_ip;          /* 0 = not given */
	uint32_t destination_ip;     /* 0 = not given */
	int protocol;                /* 6 or 17 */
	int destination_port;        /* -1 = not given */
	int64_t created_ms;          /* unix ms */
};

struct ni_analysis {
	struct res_head head;        /* nia-… */
	char path_id[ID_MAX];
	int64_t start_ms;            /* unix ms */
	enum ni_status status;
	bool found;                  /* NetworkPathFound (succeeded only) */
	const char *status_message;  /* "" unless failed */
	const char *result;          /* the result document (api/network_insights.h), "" if none */
};

/* The kind of resource id names (by its prefix). */
enum ni_res ni_res_of_id(const char *id);
/* "tcp" → 6, "udp" → 17 (AWS: the only two).  Returns 0 or -EINVAL. */
int ni_protocol_parse(const char *s, int *ret);
/* 6 → "tcp", 17 → "udp"; NULL otherwise. */
const char *ni_protocol_name(int protocol);
const char *ni_status_name(enum ni_status s);
int ni_status_parse(const char *s, enum ni_status *ret);

#endif
