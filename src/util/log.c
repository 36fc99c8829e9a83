// SPDX-License-Identifier: MIT
/* key=value logger on stderr; see log.h. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int verbose;

void log_set_verbose(int v)
{
	verbose = v;
}

int log_is_verbose(void)
{
	return verbose;
}

__attribute__((format(printf, 4, 0))) static void vlog(const char *level, const char *mod,
							int err, const char *fmt, va_list ap)
{
	char line[2048];
	int n = snprintf(line, sizeof(line), "level=%s mod=%s ", level, mod);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	size_t len = strlen(line);
	if (err && len < sizeof(line) - 1)
		snprintf(line + len, sizeof(line) - len, " err=\"%s\"", strerror(err < 0 ? -err : err));
	fprintf(stderr, "%s\n", line);
}

void log_msg(const char *level, const char *mod, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(level, mod, 0, fmt, ap);
	va_end(ap);
}

void log_errno(const char *level, const char *mod, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(level, mod, err, fmt, ap);
	va_end(ap);
}
