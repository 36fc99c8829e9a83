// SPDX-License-Identifier: MIT
/* model/pushed_key: EC2 Instance Connect's rules for InstanceOSUser,
 * AvailabilityZone and SSHPublicKey (the botocore ec2-instance-connect
 * model's shapes), without a daemon. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/pushed_key.h"

static const char ED25519[] =
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBMdRqnXRTUbEduqNUYP9GklR4kwIEJ49a5/mQcFNshk";
static const char ECDSA[] =
	"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJcnriyj"
	"PdrEUm4R2kwKOxDiXdTbMljggvMnWCAh80v1bXsOwFA6vAPExgRqs5CT81DL0r+gbPaBheUyg8+h7WM=";
static const char RSA[] =
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCLecIDtG7+PBu+qhUFbkPjyn58kqI6KdXsSrDs3P0C"
	"z9D+85F6toZfYnmxWJzjNE2URqU+wzPuR7uiySbEQv0QGK5TBzKJj8MLinC6/Ng6Y9vHFp09lwATY4wZ"
	"NEiKsRs0SRaoI7Ry9pzKYccxCv/B97tIdTZoIlG1LgNC/8Wh8g48/Xl6wtDiYkj3jmJXh6FoZ/G/4iQ2"
	"udocxctEuXRoIW+bOajIKsvWjlgVeIWEnCfRDt1qImF8aHr3PnluiOFlBLgVvbCYNKV9nmsIFnXYyoob"
	"DouZx+vdZ9ieCL1KvliiqRaVE0dfQO/jjDf1I5dnaEU5hEcfvfrbDy0VUhhR";

static void users(void **state)
{
	(void)state;
	static const char *const good[] = { "ec2-user", "_x", "a", "svc$", "first.last@corp",
					    "a-b_c.d", "x1$" };
	static const char *const bad[] = { "", "1abc", "-x", ".x", "@x", "a b", "a$b", "a;b",
					   "a/b", "a\\b", "\xc3\xa9" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(pushed_key_user_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(pushed_key_user_valid(bad[i]));
	char u[40];
	memset(u, 'u', sizeof(u));
	u[32] = '\0';
	assert_true(pushed_key_user_valid(u)); /* 32: the most */
	u[31] = '.';
	assert_false(pushed_key_user_valid(u)); /* the 32nd is from the last class */
	u[31] = '$';
	assert_true(pushed_key_user_valid(u));
	u[30] = '.';
	u[31] = '\0';
	assert_true(pushed_key_user_valid(u)); /* 31 with '.' last: all middle */
	memset(u, 'u', 33);
	u[33] = '\0';
	assert_false(pushed_key_user_valid(u));
	assert_false(pushed_key_user_valid(NULL));
}

static void zones(void **state)
{
	(void)state;
	assert_true(pushed_key_az_valid("us-east-1a"));
	assert_true(pushed_key_az_valid("us-gov-west-1a"));
	assert_true(pushed_key_az_valid("eu-west-12"));
	assert_false(pushed_key_az_valid("us-east-1"));      /* \d+\w+: two characters */
	assert_false(pushed_key_az_valid("us-east-a1"));
	assert_false(pushed_key_az_valid("east-1a"));        /* one group */
	assert_false(pushed_key_az_valid("a-b-c-d-1a"));     /* four groups */
	assert_false(pushed_key_az_valid("us-east-"));
	assert_false(pushed_key_az_valid("us--east-1a"));
	assert_false(pushed_key_az_valid("us-east-1a-"));
	assert_false(pushed_key_az_valid("us east-1a"));
	assert_false(pushed_key_az_valid("u-e-1"));          /* under 6 */
	assert_false(pushed_key_az_valid(NULL));
}

static void accepted(const char *key, const char *want)
{
	size_t s = 0, n = 0;
	assert_int_equal(pushed_key_check(key, &s, &n), 0);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(key + s, want, n);
}

static void keys(void **state)
{
	(void)state;
	char b[8192];
	accepted(ED25519, ED25519);
	accepted(ECDSA, ECDSA);
	accepted(RSA, RSA);
	snprintf(b, sizeof(b), "  %s me@laptop \r\n", ED25519);
	snprintf(b + 4096, 4096, "%s me@laptop", ED25519);
	accepted(b, b + 4096);

	size_t s, n;
	snprintf(b, sizeof(b), "command=\"/bin/sh\" %s", ED25519);
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	snprintf(b, sizeof(b), "%s\n%s", ED25519, ED25519);
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	snprintf(b, sizeof(b), "ssh-rsa %s", strchr(ED25519, ' ') + 1); /* type ≠ blob */
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	snprintf(b, sizeof(b), "ecdsa-sha2-nistp384 %s", strchr(ECDSA, ' ') + 1);
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	snprintf(b, sizeof(b), "ssh-dss %s", strchr(ED25519, ' ') + 1);
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	memset(b, 'x', 200);
	b[200] = '\0';
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	assert_int_equal(pushed_key_check("ssh-ed25519 AAAA", &s, &n), -EINVAL); /* under 80 */
	snprintf(b, sizeof(b), "%s %04100d", ED25519, 0); /* over 4096 */
	assert_int_equal(pushed_key_check(b, &s, &n), -EINVAL);
	assert_int_equal(pushed_key_check(NULL, &s, &n), -EINVAL);
}

static void expiry(void **state)
{
	(void)state;
	struct pushed_key k = { .expires_at = 1000 };
	assert_true(pushed_key_active(&k, 999));
	assert_false(pushed_key_active(&k, 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(users),
		cmocka_unit_test(zones),
		cmocka_unit_test(keys),
		cmocka_unit_test(expiry),
	};
	return cmocka_run_group_tests_name("pushed_key", tests, NULL, NULL);
}
