// SPDX-License-Identifier: MIT
/* EC2 errors as data (STYLE §3): errors.def is the one list of codes,
 * statuses and messages; handlers return api_fail(c, ERR_X, args…). */
#ifndef API_ERRORS_H
#define API_ERRORS_H

enum api_err {
	ERR_NONE = 0,
#define X(e, code, status, msg) e,
#include "api/errors.def"
#undef X
	ERR_COUNT
};

const char *api_err_code(enum api_err e);
int api_err_status(enum api_err e);
const char *api_err_template(enum api_err e);

#endif
