// SPDX-License-Identifier: MIT
/* model/peering: the state machine (PCX-2, PCX-5..7, PCX-15), visibility
 * after the end (PCX-3) and which VPCs a peering joins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/peering.h"

static void transitions(void **state)
{
	(void)state;
	enum pcx_state to;
	assert_int_equal(pcx_transition(PCX_PENDING_ACCEPTANCE, PCX_OP_ACCEPT, &to), 0);
	assert_int_equal(to, PCX_ACTIVE);
	assert_int_equal(pcx_transition(PCX_PENDING_ACCEPTANCE, PCX_OP_REJECT, &to), 0);
	assert_int_equal(to, PCX_REJECTED);
	assert_int_equal(pcx_transition(PCX_PENDING_ACCEPTANCE, PCX_OP_DELETE, &to), 0);
	assert_int_equal(to, PCX_DELETED);
	assert_int_equal(pcx_transition(PCX_ACTIVE, PCX_OP_DELETE, &to), 0);
	assert_int_equal(to, PCX_DELETED);
	assert_int_equal(pcx_transition(PCX_ACTIVE, PCX_OP_MODIFY, &to), 0);
	assert_int_equal(to, PCX_ACTIVE);
	for (int s = 0; s < PCX_STATE_COUNT; s++) {
		if (s != PCX_PENDING_ACCEPTANCE) {
			assert_int_not_equal(pcx_transition(s, PCX_OP_ACCEPT, &to), 0);
			assert_int_not_equal(pcx_transition(s, PCX_OP_REJECT, &to), 0);
		}
		if (s != PCX_ACTIVE)
			assert_int_not_equal(pcx_transition(s, PCX_OP_MODIFY, &to), 0);
		if (s != PCX_ACTIVE && s != PCX_PENDING_ACCEPTANCE)
			assert_int_not_equal(pcx_transition(s, PCX_OP_DELETE, &to), 0);
		/* Every state has a name that parses back. */
		enum pcx_state back;
		assert_int_equal(pcx_state_parse(pcx_state_name(s), &back), 0);
		assert_int_equal(back, s);
		assert_false(pcx_is_live(s) && pcx_is_ended(s));
	}
}

static void visibility_and_pairs(void **state)
{
	(void)state;
	assert_int_equal(pcx_visible_s(PCX_EXPIRED), 2 * 24 * 3600);
	assert_int_equal(pcx_visible_s(PCX_DELETED), 2 * 3600);
	assert_int_equal(pcx_visible_s(PCX_FAILED), 2 * 3600);
	struct peering p = { 0 };
	snprintf(p.requester_vpc, sizeof(p.requester_vpc), "vpc-1");
	snprintf(p.accepter_vpc, sizeof(p.accepter_vpc), "vpc-2");
	assert_true(pcx_joins(&p, "vpc-1", "vpc-2"));
	assert_true(pcx_joins(&p, "vpc-2", "vpc-1"));
	assert_false(pcx_joins(&p, "vpc-1", "vpc-3"));
	assert_string_equal(pcx_other_vpc(&p, "vpc-2"), "vpc-1");
	assert_null(pcx_other_vpc(&p, "vpc-3"));
	char buf[64];
	assert_string_equal(pcx_state_message(PCX_INITIATING_REQUEST, "123456789012", buf,
					      sizeof(buf)),
			    "Initiating Request to 123456789012");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transitions),
		cmocka_unit_test(visibility_and_pairs),
	};
	return cmocka_run_group_tests_name("peering", tests, NULL, NULL);
}
