// SPDX-License-Identifier: MIT
/* Placeholder while the family is written (this session). */
#include <stddef.h>

#include "api/actions.h"

const struct api_action api_insights_actions[] = {
	{ NULL, NULL, NULL },
};
