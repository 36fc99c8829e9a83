// SPDX-License-Identifier: MIT
/* TODO-HELPER: fill in. */
#include <stddef.h>

#include "api/actions.h"

const struct api_action api_network_acl_actions[] = {
	{ NULL, NULL, NULL },
};
