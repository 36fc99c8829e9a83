// SPDX-License-Identifier: MIT
/* A NAT gateway's namespace; see natgw.h.  Never touches the kernel. */
#include "compile/natgw.h"

#include <stdio.h>

#include "compile/build.h"
#include "model/nat_gateway.h"
#include "model/subnet.h"
#include "util/buf.h"
#include "util/cidr.h"

#define NATGW_CONN_LIMIT 55000   /* per destination (IP, protocol, port) */
#define NATGW_IDLE_TIMEOUT_S 350

void compile_ns_natgw(const char *prefix, const char *natgw_id, char out[DP_NAME_MAX])
{
	snprintf(out, DP_NAME_MAX, "%.15s-n%.8s", prefix, build_tail8(natgw_id));
}

void compile_natgw(struct builder *b, const struct nat_gateway *g, const struct subnet *sn)
{
	char name[DP_NAME_MAX], ip[IP4_STR_MAX], idle[16];
	unsigned limit = b->cs->natgw_conn_limit ? b->cs->natgw_conn_limit : NATGW_CONN_LIMIT;
	unsigned idle_s = b->cs->natgw_idle_timeout_s ? b->cs->natgw_idle_timeout_s
						       : NATGW_IDLE_TIMEOUT_S;
	compile_ns_natgw(b->cs->prefix, g->head.id, name);
	struct nsb nb = build_ns(b, name, DP_NS_NATGW);
	build_no_ipv6(b, &nb);
	build_sysctl(b, &nb, "net/ipv4/ip_forward", "1");
	build_sysctl(b, &nb, "net/ipv4/conf/all/send_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/default/send_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/eth0/send_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/all/accept_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/all/rp_filter", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/eth0/rp_filter", "0");
	/* AWS: a flow idle for 350 s is forgotten; the next packet of it
	 * gets a RST (below). */
	snprintf(idle, sizeof(idle), "%u", idle_s);
	build_sysctl(b, &nb, "net/netfilter/nf_conntrack_tcp_timeout_established", idle);
	build_sysctl(b, &nb, "net/netfilter/nf_conntrack_udp_timeout_stream", idle);
	build_addr(b, &nb, "eth0", g->private_ip, sn->cidr.len);
	struct dp_route *r = build_route(b, &nb, 254, 0, 0, DP_ROUTE_UNICAST);
	r->gateway = sn->cidr.addr + 1;
	snprintf(r->dev, sizeof(r->dev), "eth0");

	ip4_format(g->private_ip, ip);
	struct buf t;
	buf_init(&t, 1 << 16);
	(void)buf_printf(
		&t,
		"table inet %s {\n"
		/* Open connections per destination (IP, protocol, port):
		 * ct count drops the set's entries as connections end. */
		"\tset per_destination {\n"
		"\t\ttype ipv4_addr . inet_proto . inet_service\n"
		"\t\tsize 65535\n"
		"\t\tflags dynamic\n"
		"\t}\n"
		/* Unsolicited inbound traffic is dropped: only replies of
		 * flows it forwarded come back to the gateway. */
		"\tchain input {\n"
		"\t\ttype filter hook input priority filter; policy drop;\n"
		"\t\tct state established,related accept\n"
		"\t}\n"
		"\tchain forward {\n"
		"\t\ttype filter hook forward priority filter; policy drop;\n"
		"\t\tct state established,related accept\n"
		"\t\tct state invalid drop\n"
		"\t\tiifname != \"eth0\" drop\n"
		"\t\tip saddr %s drop\n"
		/* A TCP segment of a flow it no longer knows (idle timeout):
		 * AWS answers with a RST, not a silent drop. */
		"\t\tmeta l4proto tcp tcp flags & (syn | ack) != syn reject with tcp reset\n"
		/* AWS: at most 55,000 simultaneous connections to each
		 * unique destination (ErrorPortAllocation beyond). */
		"\t\tmeta l4proto { tcp, udp } add @per_destination { ip daddr . meta l4proto . th dport"
		" ct count over %u } drop\n"
		"\t\taccept\n"
		"\t}\n"
		"\tchain postrouting {\n"
		"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
		"\t\toifname \"eth0\" ip saddr != %s snat ip to %s\n"
		"\t}\n"
		"}\n",
		b->cs->prefix, ip, limit, ip, ip);
	nb.ns->nft = arena_strdup(b->a, buf_str(&t));
	buf_done(&t);
}
