// SPDX-License-Identifier: MIT
/* model/session: session IDs, the record's JSON round trip, dates, the
 * script(1) timing lines that `localvpc session` writes and replays, and
 * the recording's HMAC chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/session.h"
#include "util/id.h"

static void ids(void **state)
{
	(void)state;
	char owner[SESSION_OWNER_MAX + 1], id[ID_MAX];
	session_owner_from_name("root", owner);
	assert_string_equal(owner, "root");
	id_new(owner, id);
	assert_true(session_id_valid(id));
	session_owner_from_name("a/b c", owner);
	assert_string_equal(owner, "a_b_c");
	session_owner_from_name("../x", owner);
	assert_string_equal(owner, "_._x");
	session_owner_from_name("", owner);
	assert_string_equal(owner, "user");
	session_owner_from_name("abcdefghijabcdefghijabcdefghijabcdefghij", owner);
	assert_int_equal(strlen(owner), SESSION_OWNER_MAX);
	id_new(owner, id);
	assert_true(session_id_valid(id));

	assert_true(session_id_valid("root-0123456789abcdef0"));
	assert_true(session_id_valid("ec2-user-0123456789abcdef0"));
	assert_false(session_id_valid("root-0123456789abcdef"));   /* 16 hex */
	assert_false(session_id_valid("root-0123456789ABCDEF0"));  /* upper case */
	assert_false(session_id_valid("-0123456789abcdef0"));      /* no owner */
	assert_false(session_id_valid("../0123456789abcdef0"));
	assert_false(session_id_valid("a/b-0123456789abcdef0"));
	assert_false(session_id_valid(".x-0123456789abcdef0"));
	assert_false(session_id_valid(""));
	assert_false(session_id_valid(NULL));
}

static void dates(void **state)
{
	(void)state;
	char t[24];
	time_t x;
	session_time_format(1796242719, t);
	assert_string_equal(t, "2026-12-02T20:18:39Z");
	assert_int_equal(session_time_parse(t, &x), 0);
	assert_int_equal(x, 1796242719);
	assert_int_equal(session_time_parse("2026-12-02T20:18:39", &x), -EINVAL);
	assert_int_equal(session_time_parse("2026-12-02T20:18:39Zx", &x), -EINVAL);
	assert_int_equal(session_time_parse("", &x), -EINVAL);
}

static void record_round_trip(void **state)
{
	(void)state;
	struct session_meta m = { .id = "root-0123456789abcdef0",
				  .target = "i-0a1b2c3d4e5f67890",
				  .owner = "root",
				  .user = "ec2-user",
				  .status = SESSION_TERMINATED,
				  .start = 1796242719,
				  .end = 1796242720,
				  .exit_status = 0 };
	struct session_meta back;
	char *json = session_meta_to_json(&m);
	assert_non_null(strstr(json, "\"Status\": \"Terminated\""));
	assert_non_null(strstr(json, "\"StartDate\": \"2026-12-02T20:18:39Z\""));
	assert_int_equal(session_meta_from_json(json, &back), 0);
	free(json);
	assert_string_equal(back.id, m.id);
	assert_string_equal(back.target, m.target);
	assert_string_equal(back.owner, m.owner);
	assert_string_equal(back.user, m.user);
	assert_int_equal(back.status, SESSION_TERMINATED);
	assert_int_equal(back.start, m.start);
	assert_int_equal(back.end, m.end);
	assert_int_equal(back.exit_status, 0);

	/* Connected: no EndDate, no ExitStatus. */
	m.status = SESSION_CONNECTED;
	m.end = 0;
	m.exit_status = -1;
	json = session_meta_to_json(&m);
	assert_null(strstr(json, "EndDate"));
	assert_null(strstr(json, "ExitStatus"));
	assert_int_equal(session_meta_from_json(json, &back), 0);
	free(json);
	assert_int_equal(back.status, SESSION_CONNECTED);
	assert_int_equal(back.end, 0);
	assert_int_equal(back.exit_status, -1);

	/* Anything else is refused. */
	static const char *const bad[] = {
		"",
		"[]",
		"{}",
		"{\"SessionId\":\"../x-0123456789abcdef0\",\"Target\":\"i-1\",\"Status\":"
		"\"Connected\",\"StartDate\":\"2026-12-02T20:18:39Z\",\"Owner\":\"r\","
		"\"RunAsUser\":\"u\"}",
		"{\"SessionId\":\"r-0123456789abcdef0\",\"Target\":\"i-1\",\"Status\":"
		"\"Sleeping\",\"StartDate\":\"2026-12-02T20:18:39Z\",\"Owner\":\"r\","
		"\"RunAsUser\":\"u\"}",
		"{\"SessionId\":\"r-0123456789abcdef0\",\"Target\":\"i-1\",\"Status\":"
		"\"Connected\",\"StartDate\":7,\"Owner\":\"r\",\"RunAsUser\":\"u\"}",
		"{\"SessionId\":\"r-0123456789abcdef0\",\"Target\":\"i-1\",\"Status\":"
		"\"Terminated\",\"StartDate\":\"2026-12-02T20:18:39Z\",\"Owner\":\"r\","
		"\"RunAsUser\":\"u\",\"ExitStatus\":300}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(session_meta_from_json(bad[i], &back), -EINVAL);
	assert_string_equal(session_status_name(SESSION_DISCONNECTED), "Disconnected");
}

static void timing_lines(void **state)
{
	(void)state;
	char line[48];
	long long us;
	size_t size;
	assert_int_equal(session_timing_line(1234567, 42, line, sizeof(line)), 12);
	assert_string_equal(line, "1.234567 42\n");
	assert_int_equal(session_timing_parse(line, &us, &size), 0);
	assert_int_equal(us, 1234567);
	assert_int_equal(size, 42);
	session_timing_line(-5, 1, line, sizeof(line)); /* a clock step back: no delay */
	assert_string_equal(line, "0.000000 1\n");
	/* script(1) itself writes fewer or more digits. */
	assert_int_equal(session_timing_parse("0.5 3", &us, &size), 0);
	assert_int_equal(us, 500000);
	assert_int_equal(session_timing_parse("2.123456789 7\n", &us, &size), 0);
	assert_int_equal(us, 2123456);
	static const char *const bad[] = { "", "1 2", "-1.0 2", "1.-5 2", "1.0 2 3",
					   "1.0", " 1.0 2", "1.0 2x", "1.0000000000 2" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(session_timing_parse(bad[i], &us, &size), -EINVAL);
}

static void chain(void **state)
{
	(void)state;
	unsigned char key[SESSION_KEY_SIZE] = { 1, 2, 3 }, other[SESSION_KEY_SIZE] = { 1, 2, 4 };
	unsigned char a[SESSION_LINK_SIZE], b[SESSION_LINK_SIZE], c[SESSION_LINK_SIZE];
	char line[SESSION_CHAIN_LINE_MAX];
	session_chain_start(key, "root-0123456789abcdef0", "header\n", 7, a);
	session_chain_start(key, "root-0123456789abcdef0", "header\n", 7, b);
	assert_memory_equal(a, b, sizeof(a)); /* deterministic */
	session_chain_start(key, "root-0123456789abcdef1", "header\n", 7, b);
	assert_memory_not_equal(a, b, sizeof(a)); /* bound to the session */
	session_chain_start(other, "root-0123456789abcdef0", "header\n", 7, b);
	assert_memory_not_equal(a, b, sizeof(a)); /* bound to the key */
	session_chain_next(key, a, "out", 3, b);
	session_chain_next(key, a, "ouT", 3, c);
	assert_memory_not_equal(b, c, sizeof(b)); /* every byte counts */
	session_chain_next(key, b, "", 0, c);
	assert_memory_not_equal(b, c, sizeof(b)); /* and every link, empty or not */
	assert_int_equal(session_chain_line('O', a, line), 67);
	assert_int_equal(line[0], 'O');
	assert_int_equal(line[66], '\n');
	assert_int_equal(strspn(line + 2, "0123456789abcdef"), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids),
		cmocka_unit_test(dates),
		cmocka_unit_test(record_round_trip),
		cmocka_unit_test(timing_lines),
		cmocka_unit_test(chain),
	};
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
