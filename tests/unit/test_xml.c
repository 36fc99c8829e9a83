// SPDX-License-Identifier: MIT
/* api/xml: escaping and the element stack. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/xml.h"

static void writes_escaped_elements(void **state)
{
	(void)state;
	struct buf b;
	struct xml x;
	buf_init(&b, 4096);
	xml_init(&x, &b);
	xml_open(&x, "vpc");
	xml_str(&x, "name", "a<b>&\"c'\r");
	xml_str(&x, "absent", NULL);
	xml_bool(&x, "isDefault", false);
	xml_int(&x, "count", -251);
	xml_empty(&x, "tagSet");
	xml_close(&x);
	assert_int_equal(xml_error(&x), 0);
	assert_string_equal(buf_str(&b), "<vpc><name>a&lt;b&gt;&amp;&quot;c&apos;&#13;</name>"
					 "<isDefault>false</isDefault><count>-251</count>"
					 "<tagSet/></vpc>");
	buf_done(&b);
}

static void reports_unbalanced_and_overflow(void **state)
{
	(void)state;
	struct buf b;
	struct xml x;
	buf_init(&b, 16);
	xml_init(&x, &b);
	xml_open(&x, "a");
	assert_int_not_equal(xml_error(&x), 0); /* still open */
	xml_str(&x, "long", "0123456789abcdef");
	xml_close(&x);
	assert_int_not_equal(xml_error(&x), 0); /* past the buffer's ceiling */
	buf_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_escaped_elements),
		cmocka_unit_test(reports_unbalanced_and_overflow),
	};
	return cmocka_run_group_tests_name("xml", tests, NULL, NULL);
}
