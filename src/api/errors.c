// SPDX-License-Identifier: MIT
/* Lookup tables generated from errors.def. */
#include "api/errors.h"

static const struct {
	const char *code;
	int status;
	const char *msg;
} table[ERR_COUNT] = {
	[ERR_NONE] = { "", 200, "" },
#define X(e, c, s, m) [e] = { c, s, m },
#include "api/errors.def"
#undef X
};

const char *api_err_code(enum api_err e)
{
	return table[e].code;
}

int api_err_status(enum api_err e)
{
	return table[e].status;
}

const char *api_err_template(enum api_err e)
{
	return table[e].msg;
}
