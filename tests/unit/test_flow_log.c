// SPDX-License-Identifier: MIT
/* VPC Flow Logs, pure parts: log formats, S3 destinations, log group names,
 * which ENIs a flow log covers, and the router's NFLOG text — nothing for
 * a VPC without flow logs but the bare drop chains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compile/flowlog.h"
#include "compile/sg.h"
#include "model/flow_log.h"
#include "model/instance.h"
#include "model/snapshot.h"
#include "util/buf.h"

static void test_format(void **state)
{
	enum fl_field f[FL_FORMAT_FIELDS_MAX];
	size_t n, bad;
	(void)state;
	assert_int_equal(fl_format_parse(FL_FORMAT_V2, f, &n, &bad), 0);
	assert_int_equal(n, FL_F_COUNT);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(f[i], (int)i);
	assert_int_equal(fl_format_parse("${dstaddr} ${action}", f, &n, &bad), 0);
	assert_int_equal(n, 2);
	assert_int_equal(f[0], FL_F_DSTADDR);
	assert_int_equal(f[1], FL_F_ACTION);
	assert_int_equal(fl_format_parse("${srcaddr} ${vpc-idx}", f, &n, &bad), -EINVAL);
	assert_int_equal(bad, 11);
	assert_int_equal(fl_format_parse("", f, &n, &bad), -EINVAL);
	assert_int_equal(fl_format_parse("${srcaddr}  ${dstaddr}", f, &n, &bad), -EINVAL);
	assert_int_equal(fl_format_parse("${srcaddr} ", f, &n, &bad), -EINVAL);
	assert_int_equal(fl_format_parse("srcaddr", f, &n, &bad), -EINVAL);
}

static void test_s3(void **state)
{
	size_t blen;
	const char *prefix;
	(void)state;
	assert_int_equal(fl_s3_parse("arn:aws:s3:::my-bucket", &blen, &prefix), 0);
	assert_int_equal(blen, 9);
	assert_string_equal(prefix, "");
	assert_int_equal(fl_s3_parse("arn:aws:s3:::my.bucket/a/b", &blen, &prefix), 0);
	assert_string_equal(prefix, "a/b");
	const char *bad[] = { "my-bucket", "arn:aws:s3:::ab", "arn:aws:s3:::Bucket",
			      "arn:aws:s3:::bucket/AWSLogs", "arn:aws:s3:::bucket//x",
			      "arn:aws:s3:::bucket/../x", "arn:aws:s3:::-bucket",
			      "arn:aws:s3:::bucket/a b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fl_s3_parse(bad[i], &blen, &prefix), -EINVAL);
}

static void test_log_group(void **state)
{
	(void)state;
	assert_true(fl_log_group_valid("vpc/flow-logs_1.#"));
	assert_false(fl_log_group_valid(""));
	assert_false(fl_log_group_valid("../x"));
	assert_false(fl_log_group_valid("a/./b"));
	assert_false(fl_log_group_valid("/abs"));
	assert_false(fl_log_group_valid("a//b"));
	assert_false(fl_log_group_valid("a b"));
}

static struct eni enis[3];
static struct flow_log fls[1];

static void setup(void)
{
	memset(enis, 0, sizeof(enis));
	memset(fls, 0, sizeof(fls));
	for (int i = 0; i < 3; i++) {
		snprintf(enis[i].head.id, sizeof(enis[i].head.id), "eni-00000000000000a%d", i);
		snprintf(enis[i].vpc_id, sizeof(enis[i].vpc_id), "vpc-1");
		snprintf(enis[i].subnet_id, sizeof(enis[i].subnet_id), i ? "subnet-2" : "subnet-1");
	}
	fls[0].resource_type = FL_RES_SUBNET;
	snprintf(fls[0].resource_id, sizeof(fls[0].resource_id), "subnet-2");
}

static void test_covers(void **state)
{
	(void)state;
	setup();
	assert_false(fl_covers(&fls[0], &enis[0]));
	assert_true(fl_covers(&fls[0], &enis[1]));
	fls[0].resource_type = FL_RES_VPC;
	snprintf(fls[0].resource_id, sizeof(fls[0].resource_id), "vpc-1");
	assert_true(fl_covers(&fls[0], &enis[0]));
	fls[0].resource_type = FL_RES_ENI;
	snprintf(fls[0].resource_id, sizeof(fls[0].resource_id), "%s", enis[2].head.id);
	assert_false(fl_covers(&fls[0], &enis[1]));
	assert_true(fl_covers(&fls[0], &enis[2]));
	fls[0].traffic = FL_TRAFFIC_REJECT;
	assert_false(fl_wants(&fls[0], true));
	assert_true(fl_wants(&fls[0], false));
	fls[0].traffic = FL_TRAFFIC_ALL;
	assert_true(fl_wants(&fls[0], true) && fl_wants(&fls[0], false));
}

static void test_nft(void **state)
{
	struct snapshot s;
	struct buf t;
	const struct eni *v[3] = { &enis[0], &enis[1], &enis[2] };
	(void)state;
	setup();
	memset(&s, 0, sizeof(s));
	buf_init(&t, 1 << 16);
	compile_flowlog(&s, v, 3, &t);
	/* Without flow logs: the drop chains sg/nacl go to, nothing else. */
	assert_string_equal(buf_str(&t), "\tchain fl_rej_out {\n\t\tdrop\n\t}\n"
					 "\tchain fl_rej_in {\n\t\tdrop\n\t}\n"
					 "\tchain fl_rej_sg_in {\n\t\tdrop\n\t}\n");
	buf_done(&t);
	s.flow_logs = fls;
	s.n_flow_logs = 1;
	buf_init(&t, 1 << 16);
	compile_flowlog(&s, v, 3, &t);
	const char *x = buf_str(&t);
	assert_non_null(strstr(x, "elements = { \"e000000a1\", \"e000000a2\" }"));
	assert_null(strstr(x, "e000000a0"));
	assert_non_null(strstr(x, "iifname @fl_enis log prefix \"lvfl R i\" group 7001"));
	assert_non_null(strstr(x, "oifname @fl_enis log prefix \"lvfl R o\" group 7001"));
	assert_non_null(strstr(x, "type filter hook forward priority filter + 10; policy accept;"));
	assert_non_null(strstr(x, "oifname @fl_enis log prefix \"lvfl A o\" group 7001"));
	buf_done(&t);
}

/* The groups' drops go through the flow-log chains (sg.c's two gotos);
 * a VPC without flow logs resolves them to a bare drop. */
static void test_sg_drops(void **state)
{
	struct buf t;
	(void)state;
	buf_init(&t, 1 << 16);
	compile_sg_chains(&t);
	const char *x = buf_str(&t);
	const char *eg = strstr(x, "chain sg_egress {"), *in = strstr(x, "chain sg_ingress {");
	assert_non_null(eg);
	assert_non_null(in);
	const char *g1 = strstr(eg, "goto fl_rej_out"), *g2 = strstr(in, "goto fl_rej_sg_in");
	assert_non_null(g1);
	assert_non_null(g2);
	assert_true(g1 < strchr(eg, '}') && g2 < strchr(in, '}'));
	buf_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),	 cmocka_unit_test(test_s3),
		cmocka_unit_test(test_log_group), cmocka_unit_test(test_covers),
		cmocka_unit_test(test_nft),	 cmocka_unit_test(test_sg_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
