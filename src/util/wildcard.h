// SPDX-License-Identifier: MIT
/* AWS filter-value matching (spec API-20): '*' matches zero or more
 * characters, '?' zero or one; "\*", "\?" and "\\" match literally.
 * Linear-space dynamic programming: no exponential backtracking. */
#ifndef UTIL_WILDCARD_H
#define UTIL_WILDCARD_H
#include <stdbool.h>

bool wildcard_match(const char *pattern, const char *text);

#endif
