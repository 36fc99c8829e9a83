// SPDX-License-Identifier: MIT
/* Stub: filled in by its issue. */
#include <stddef.h>

#include "api/actions.h"

const struct api_action api_peering_actions[] = {
	{ NULL, NULL, NULL },
};
