// SPDX-License-Identifier: MIT
/* Internal to the Network Insights actions (api/network_insights.c): the
 * result document of an analysis.  An analysis's result is kept as a JSON
 * object whose members are AWS's XML element names (networkPathFound,
 * forwardPathComponentSet, returnPathComponentSet, explanationSet, …; an
 * array is a list of <item>s), built once from the analyzer's verdict when
 * the analysis runs and written back as XML on every Describe, so the
 * answer never changes with the network (AWS keeps its result too). */
#ifndef API_NETWORK_INSIGHTS_H
#define API_NETWORK_INSIGHTS_H

struct analysis;
struct api_call;
struct probe;
struct snapshot;

/* The result document of an analysis an of probe p over s, as text on the
 * call's arena. */
const char *api_ni_result_build(struct api_call *c, const struct snapshot *s,
				const struct probe *p, const struct analysis *an);
/* Writes the members of document doc as XML elements at the current
 * element.  Returns 0, or -EIO when doc does not parse (a damaged row). */
int api_ni_result_write(struct api_call *c, const char *doc);

#endif
