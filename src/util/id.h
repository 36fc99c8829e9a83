// SPDX-License-Identifier: MIT
/* AWS-style resource IDs: "<prefix>-<17 lowercase hex>" (spec GEN-1). */
#ifndef UTIL_ID_H
#define UTIL_ID_H
#include <stdbool.h>

#define ID_MAX 64 /* longest prefix ("subnet-cidr-assoc-") + 17 hex + NUL, with room */

/* Writes a fresh random ID with the given prefix (without the dash) into out. */
void id_new(const char *prefix, char out[ID_MAX]);
/* True when s starts with "<prefix>-" and has a non-empty tail.  Anything
 * with the right prefix is well formed (GEN-2: Malformed only for a wrong
 * prefix or an empty value; a right prefix that names nothing is NotFound). */
bool id_has_prefix(const char *s, const char *prefix);
/* Writes a random RFC 4122 version-4 UUID (36 chars + NUL). */
void uuid_new(char out[37]);

#endif
