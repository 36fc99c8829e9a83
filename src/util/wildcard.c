// SPDX-License-Identifier: MIT
/* AWS filter wildcard matcher; see wildcard.h.  Pure. */
#include "util/wildcard.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum tok { LIT, STAR, OPT };

bool wildcard_match(const char *pattern, const char *text)
{
	size_t plen = strlen(pattern), tlen = strlen(text);
	enum tok *kind = xcalloc(plen + 1, sizeof(*kind));
	char *ch = xcalloc(plen + 1, 1);
	size_t n = 0;

	for (size_t i = 0; i < plen; i++) {
		char c = pattern[i];
		if (c == '\\' && i + 1 < plen &&
		    (pattern[i + 1] == '*' || pattern[i + 1] == '?' || pattern[i + 1] == '\\')) {
			kind[n] = LIT;
			ch[n++] = pattern[++i];
		} else if (c == '*') {
			kind[n++] = STAR;
		} else if (c == '?') {
			kind[n++] = OPT;
		} else {
			kind[n] = LIT;
			ch[n++] = c;
		}
	}
	/* cur[j]: the first i tokens match the first j characters. */
	bool *cur = xcalloc(tlen + 1, sizeof(bool)), *next = xcalloc(tlen + 1, sizeof(bool));
	cur[0] = true;
	for (size_t i = 0; i < n; i++) {
		memset(next, 0, (tlen + 1) * sizeof(bool));
		for (size_t j = 0; j <= tlen; j++) {
			switch (kind[i]) {
			case LIT:
				next[j] = j > 0 && cur[j - 1] && text[j - 1] == ch[i];
				break;
			case STAR:
				next[j] = cur[j] || (j > 0 && next[j - 1]);
				break;
			case OPT:
				next[j] = cur[j] || (j > 0 && cur[j - 1]);
				break;
			}
		}
		bool *t = cur;
		cur = next;
		next = t;
	}
	bool ok = cur[tlen];
	free(kind);
	free(ch);
	free(cur);
	free(next);
	return ok;
}
