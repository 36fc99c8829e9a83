// SPDX-License-Identifier: MIT
/* Region and AZ tables; see region.h.  Pure. */
#include "model/region.h"

#include <stdio.h>
#include <string.h>

static const struct region regions[] = {
	{ "us-east-1", "use1", 6, "United States" },   { "us-east-2", "use2", 3, "United States" },
	{ "us-west-1", "usw1", 2, "United States" },   { "us-west-2", "usw2", 4, "United States" },
	{ "ca-central-1", "cac1", 3, "Canada" },       { "eu-west-1", "euw1", 3, "Ireland" },
	{ "eu-west-2", "euw2", 3, "United Kingdom" },  { "eu-west-3", "euw3", 3, "France" },
	{ "eu-central-1", "euc1", 3, "Germany" },      { "eu-north-1", "eun1", 3, "Sweden" },
	{ "ap-south-1", "aps1", 3, "India" },          { "ap-northeast-1", "apne1", 3, "Japan" },
	{ "ap-northeast-2", "apne2", 4, "South Korea" }, { "ap-northeast-3", "apne3", 3, "Japan" },
	{ "ap-southeast-1", "apse1", 3, "Singapore" }, { "ap-southeast-2", "apse2", 3, "Australia" },
	{ "sa-east-1", "sae1", 3, "Brazil" },
};

const struct region *region_all(size_t *ret_n)
{
	*ret_n = sizeof(regions) / sizeof(regions[0]);
	return regions;
}

const struct region *region_find(const char *name)
{
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (strcmp(regions[i].name, name) == 0)
			return &regions[i];
	return NULL;
}

void region_az(const struct region *r, unsigned i, char name[AZ_NAME_MAX], char id[AZ_NAME_MAX])
{
	snprintf(name, AZ_NAME_MAX, "%s%c", r->name, 'a' + (char)i);
	snprintf(id, AZ_NAME_MAX, "%s-az%u", r->id_prefix, i + 1);
}

int region_az_index(const struct region *r, const char *name_or_id)
{
	for (unsigned i = 0; i < r->n_azs; i++) {
		char name[AZ_NAME_MAX], id[AZ_NAME_MAX];
		region_az(r, i, name, id);
		if (strcmp(name, name_or_id) == 0 || strcmp(id, name_or_id) == 0)
			return (int)i;
	}
	return -1;
}
