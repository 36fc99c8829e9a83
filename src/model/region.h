// SPDX-License-Identifier: MIT
/* Regions and availability zones as a new AWS account sees them (GEN-3,
 * VPC-12).  AZ name → zone ID mapping is per account in AWS; localvpc uses
 * one fixed mapping (letter n → az<n>).  Pure. */
#ifndef MODEL_REGION_H
#define MODEL_REGION_H
#include <stdbool.h>
#include <stddef.h>

#define AZ_NAME_MAX 32

struct region {
	const char *name;      /* "us-east-1" */
	const char *id_prefix; /* "use1": zone IDs are "use1-az1" … */
	unsigned n_azs;        /* "us-east-1a" … */
	const char *geography; /* "United States" */
};

/* The regions table (the commercial regions open to every account). */
const struct region *region_all(size_t *ret_n);
const struct region *region_find(const char *name);
/* Writes the name ("us-east-1c") and ID ("use1-az3") of AZ i (0-based). */
void region_az(const struct region *r, unsigned i, char name[AZ_NAME_MAX], char id[AZ_NAME_MAX]);
/* Index of an AZ given by name or ID, or -1. */
int region_az_index(const struct region *r, const char *name_or_id);

#endif
