// SPDX-License-Identifier: MIT
/* One line per event, key=value, on stderr (STYLE §7).  log_warn() appends
 * err="strerror(-r)"; log_warnx() does not.  Debug lines only with -v. */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

void log_set_verbose(int verbose);
void log_msg(const char *level, const char *mod, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_errno(const char *level, const char *mod, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int log_is_verbose(void);

#define log_info(mod, ...) log_msg("info", mod, __VA_ARGS__)
#define log_warnx(mod, ...) log_msg("warn", mod, __VA_ARGS__)
#define log_warn(mod, r, ...) log_errno("warn", mod, r, __VA_ARGS__)
#define log_debug(mod, ...)                                \
	do {                                               \
		if (log_is_verbose())                      \
			log_msg("debug", mod, __VA_ARGS__); \
	} while (0)

#endif
