-- SPDX-License-Identifier: MIT
-- localvpc state.  One row per AWS resource; `seq` (the rowid) is creation
-- order, which Describe calls page by.  Foreign keys are declared so that a
-- bug cannot leave an orphan; the API checks dependencies first and answers
-- DependencyViolation, exactly as AWS does.
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS vpc (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	cidr           TEXT NOT NULL,
	dhcp_options_id TEXT NOT NULL,
	tenancy        TEXT NOT NULL,
	is_default     INTEGER NOT NULL,
	dns_support    INTEGER NOT NULL,
	dns_hostnames  INTEGER NOT NULL,
	nau_metrics    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS vpc_cidr (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	vpc_id     TEXT NOT NULL REFERENCES vpc(id) ON DELETE CASCADE,
	cidr       TEXT NOT NULL,
	state      TEXT NOT NULL,
	is_primary INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS subnet (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	vpc_id         TEXT NOT NULL REFERENCES vpc(id),
	cidr           TEXT NOT NULL,
	az             TEXT NOT NULL,
	default_for_az INTEGER NOT NULL,
	map_public_ip  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS route_table (
	seq          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	vpc_id       TEXT NOT NULL REFERENCES vpc(id),
	client_token TEXT UNIQUE -- CreateRouteTable's ClientToken (API-17), NULL when none
);

-- One row per association: the main one (is_main=1, no subnet) or a subnet's.
CREATE TABLE IF NOT EXISTS rtb_assoc (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	route_table_id TEXT NOT NULL REFERENCES route_table(id),
	subnet_id      TEXT UNIQUE REFERENCES subnet(id),
	gateway_id     TEXT,
	is_main        INTEGER NOT NULL
);

-- target_type: local | gateway | nat-gateway | instance | network-interface |
-- vpc-peering-connection | egress-only-internet-gateway.
CREATE TABLE IF NOT EXISTS route (
	seq            INTEGER PRIMARY KEY,
	route_table_id TEXT NOT NULL REFERENCES route_table(id) ON DELETE CASCADE,
	dest_cidr      TEXT NOT NULL,
	target_type    TEXT NOT NULL,
	target_id      TEXT NOT NULL,
	origin         TEXT NOT NULL,
	UNIQUE (route_table_id, dest_cidr)
);

CREATE TABLE IF NOT EXISTS igw (
	seq    INTEGER PRIMARY KEY,
	id     TEXT NOT NULL UNIQUE,
	vpc_id TEXT REFERENCES vpc(id)
);

CREATE TABLE IF NOT EXISTS tag (
	resource_id TEXT NOT NULL,
	key         TEXT NOT NULL,
	value       TEXT NOT NULL,
	PRIMARY KEY (resource_id, key)
);

-- Security groups: the default group of each VPC exists from its creation
-- (VPC-4); rules and the API arrive with the security-group issue.
CREATE TABLE IF NOT EXISTS sg (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	vpc_id      TEXT NOT NULL REFERENCES vpc(id),
	name        TEXT NOT NULL,
	description TEXT NOT NULL,
	UNIQUE (vpc_id, name)
);

-- Instances.  `state` is the desired state the API decided (pending/running
-- answers come from it: the reconciler makes the kernel match).
CREATE TABLE IF NOT EXISTS instance (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	reservation_id TEXT NOT NULL,
	image_id       TEXT NOT NULL,
	instance_type  TEXT NOT NULL,
	subnet_id      TEXT NOT NULL, -- no foreign key: a terminated instance
	vpc_id         TEXT NOT NULL, -- stays visible after its subnet is gone
	key_name       TEXT,
	state          TEXT NOT NULL,
	state_reason   TEXT NOT NULL DEFAULT '',
	launch_time    INTEGER NOT NULL,
	state_time     INTEGER NOT NULL,
	launch_index   INTEGER NOT NULL,
	user_data      BLOB,
	client_token   TEXT,
	http_tokens    TEXT NOT NULL,
	hop_limit      INTEGER NOT NULL,
	http_endpoint  TEXT NOT NULL,
	tag_access     TEXT NOT NULL DEFAULT 'disabled',
	boot_gen       INTEGER NOT NULL DEFAULT 0 -- RebootInstances bumps it
);

-- Network interfaces; an instance's primary ENI has device_index 0.
CREATE TABLE IF NOT EXISTS eni (
	seq               INTEGER PRIMARY KEY,
	id                TEXT NOT NULL UNIQUE,
	subnet_id         TEXT NOT NULL REFERENCES subnet(id),
	vpc_id            TEXT NOT NULL REFERENCES vpc(id),
	private_ip        TEXT NOT NULL,
	mac               TEXT NOT NULL,
	instance_id       TEXT,
	attachment_id     TEXT,
	device_index      INTEGER,
	source_dest_check INTEGER NOT NULL DEFAULT 1,
	public_ip         TEXT UNIQUE,
	description       TEXT NOT NULL DEFAULT '',
	interface_type    TEXT NOT NULL DEFAULT 'interface',
	delete_on_term    INTEGER NOT NULL DEFAULT 1,
	wants_public_ip   INTEGER NOT NULL DEFAULT 0, -- auto-assign again on start
	UNIQUE (vpc_id, private_ip)
);

CREATE TABLE IF NOT EXISTS eni_sg (
	eni_id TEXT NOT NULL REFERENCES eni(id) ON DELETE CASCADE,
	sg_id  TEXT NOT NULL REFERENCES sg(id),
	PRIMARY KEY (eni_id, sg_id)
);

-- Key pairs: the public half only.  The private key CreateKeyPair returns
-- is never stored (checklist 25).
CREATE TABLE IF NOT EXISTS key_pair (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL UNIQUE,
	type        TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	public_key  TEXT NOT NULL,
	create_time INTEGER NOT NULL
);

-- Security-group rules (spec §7), one row per rule as DescribeSecurityGroupRules
-- shows it.  Exactly one peer: cidr, ref_sg_id or prefix_list_id.  protocol is
-- -1 or an IANA number; from/to are -1 where AWS omits them.  ref_sg_id has
-- no foreign key: a rule whose group is gone stays, stale (SG-11).
CREATE TABLE IF NOT EXISTS sg_rule (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	sg_id          TEXT NOT NULL REFERENCES sg(id) ON DELETE CASCADE,
	is_egress      INTEGER NOT NULL,
	protocol       INTEGER NOT NULL,
	from_port      INTEGER NOT NULL,
	to_port        INTEGER NOT NULL,
	cidr           TEXT,
	ref_sg_id      TEXT,
	ref_user_id    TEXT,
	prefix_list_id TEXT,
	description    TEXT NOT NULL DEFAULT ''
);

-- Network ACLs (spec §8).  The two `*` rules (32767) are not rows: every
-- list ends with them by definition (NACL-3).
CREATE TABLE IF NOT EXISTS nacl (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	vpc_id     TEXT NOT NULL REFERENCES vpc(id),
	is_default INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS nacl_entry (
	seq         INTEGER PRIMARY KEY,
	nacl_id     TEXT NOT NULL REFERENCES nacl(id) ON DELETE CASCADE,
	rule_number INTEGER NOT NULL,
	is_egress   INTEGER NOT NULL,
	protocol    INTEGER NOT NULL,  -- -1 or an IANA number
	is_allow    INTEGER NOT NULL,
	cidr        TEXT NOT NULL,
	from_port   INTEGER NOT NULL,  -- -1 when not given
	to_port     INTEGER NOT NULL,
	icmp_type   INTEGER NOT NULL,  -- -1: all (or not given)
	icmp_code   INTEGER NOT NULL,
	UNIQUE (nacl_id, is_egress, rule_number)
);

-- Every subnet has exactly one row here (NACL-10).
CREATE TABLE IF NOT EXISTS nacl_assoc (
	seq       INTEGER PRIMARY KEY,
	id        TEXT NOT NULL UNIQUE,
	nacl_id   TEXT NOT NULL REFERENCES nacl(id),
	subnet_id TEXT NOT NULL UNIQUE REFERENCES subnet(id) ON DELETE CASCADE
);

-- Elastic IPs (spec §12).  An associated address is also the ENI's
-- eni.public_ip, which is what the internet gateway maps (1:1 NAT).
CREATE TABLE IF NOT EXISTS eip (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE, -- eipalloc-…
	public_ip      TEXT NOT NULL UNIQUE,
	association_id TEXT UNIQUE,          -- eipassoc-…, NULL when not associated
	eni_id         TEXT,                 -- the ENI it is associated with
	private_ip     TEXT
);

-- NAT gateways (spec §10).  A public one owns an ENI (interface_type
-- 'nat_gateway', no instance) whose public_ip is its Elastic IP.
CREATE TABLE IF NOT EXISTS natgw (
	seq             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	subnet_id       TEXT NOT NULL,
	vpc_id          TEXT NOT NULL,
	connectivity    TEXT NOT NULL,        -- public | private
	state           TEXT NOT NULL,        -- pending | available | deleting | deleted | failed
	failure_code    TEXT,
	failure_message TEXT,
	allocation_id   TEXT,
	eni_id          TEXT,
	private_ip      TEXT,
	create_time     INTEGER NOT NULL,
	delete_time     INTEGER,
	client_token    TEXT UNIQUE
);

-- VPC peering connections (spec §13), both VPCs in this account and region.
CREATE TABLE IF NOT EXISTS pcx (
	seq             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	requester_vpc   TEXT NOT NULL,
	accepter_vpc    TEXT NOT NULL,
	state           TEXT NOT NULL, -- initiating-request | pending-acceptance | active | rejected | expired | deleted | failed | provisioning | deleting
	state_message   TEXT NOT NULL DEFAULT '',
	create_time     INTEGER NOT NULL,
	expire_time     INTEGER,
	requester_dns   INTEGER NOT NULL DEFAULT 0, -- AllowDnsResolutionFromRemoteVpc
	accepter_dns    INTEGER NOT NULL DEFAULT 0
);

-- EC2 Instance Connect (SendSSHPublicKey): keys pushed for one OS user of
-- one instance, usable while now < expires_at (unix seconds); expired rows
-- are pruned at the next push.
CREATE TABLE IF NOT EXISTS pushed_key (
	seq             INTEGER PRIMARY KEY,
	instance_id     TEXT NOT NULL,
	os_user         TEXT NOT NULL,
	public_key      TEXT NOT NULL,
	request_id      TEXT NOT NULL,
	expires_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pushed_key_instance ON pushed_key(instance_id, seq);

-- VPC Flow Logs (issue 8): one row per flow log (CreateFlowLogs makes one
-- per resource).  Records are written by the daemon below
-- STATE_DIR/flow-logs/ (docs/architecture.md).
CREATE TABLE IF NOT EXISTS flow_log (
	seq             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,  -- fl-…
	resource_id     TEXT NOT NULL,
	resource_type   TEXT NOT NULL,         -- VPC | Subnet | NetworkInterface
	traffic_type    TEXT NOT NULL,         -- ACCEPT | REJECT | ALL
	dest_type       TEXT NOT NULL,         -- cloud-watch-logs | s3
	log_destination TEXT NOT NULL,
	log_group       TEXT NOT NULL DEFAULT '',
	deliver_arn     TEXT NOT NULL DEFAULT '',
	log_format      TEXT NOT NULL,
	max_interval    INTEGER NOT NULL,
	create_time     INTEGER NOT NULL,      -- unix ms
	client_token    TEXT
);
CREATE INDEX IF NOT EXISTS flow_log_token ON flow_log(client_token);

-- Reachability Analyzer (issue 8): network insights paths and their
-- analyses.  An analysis keeps its result as found when it ran (AWS's
-- shape, a JSON document written by api/network_insights_result.c), so a
-- later change to the network never rewrites it.
CREATE TABLE IF NOT EXISTS ni_path (
	seq             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,  -- nip-…
	source          TEXT NOT NULL,
	destination     TEXT NOT NULL DEFAULT '',
	source_ip       INTEGER NOT NULL DEFAULT 0,
	destination_ip  INTEGER NOT NULL DEFAULT 0,
	protocol        INTEGER NOT NULL,      -- 6 | 17
	destination_port INTEGER NOT NULL DEFAULT -1,
	created         INTEGER NOT NULL,      -- unix ms
	client_token    TEXT
);
CREATE INDEX IF NOT EXISTS ni_path_token ON ni_path(client_token);
CREATE TABLE IF NOT EXISTS ni_analysis (
	seq             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,  -- nia-…
	path_id         TEXT NOT NULL,
	start           INTEGER NOT NULL,      -- unix ms
	status          TEXT NOT NULL,         -- running | succeeded | failed
	found           INTEGER NOT NULL DEFAULT 0,
	status_message  TEXT NOT NULL DEFAULT '',
	result          TEXT NOT NULL DEFAULT '',
	client_token    TEXT
);
CREATE INDEX IF NOT EXISTS ni_analysis_path ON ni_analysis(path_id);

-- Lookups by owner that the snapshot load runs once per group, table or
-- ACL (without sg_rule_by_sg, loading 1,000 groups of 50 rules scanned
-- the 50,000-row table 1,000 times: 3–6 s, with it 0.15–0.5 s), and the
-- per-VPC and per-group lookups of the API's checks.
CREATE INDEX IF NOT EXISTS sg_rule_by_sg ON sg_rule(sg_id, seq);
CREATE INDEX IF NOT EXISTS sg_rule_by_ref ON sg_rule(ref_sg_id);
CREATE INDEX IF NOT EXISTS eni_sg_by_sg ON eni_sg(sg_id);
CREATE INDEX IF NOT EXISTS eni_by_subnet ON eni(subnet_id);
CREATE INDEX IF NOT EXISTS eni_by_instance ON eni(instance_id, device_index);
CREATE INDEX IF NOT EXISTS rtb_assoc_by_rtb ON rtb_assoc(route_table_id, seq);
CREATE INDEX IF NOT EXISTS nacl_assoc_by_nacl ON nacl_assoc(nacl_id, seq);
CREATE INDEX IF NOT EXISTS route_table_by_vpc ON route_table(vpc_id, seq);
CREATE INDEX IF NOT EXISTS subnet_by_vpc ON subnet(vpc_id);
CREATE INDEX IF NOT EXISTS nacl_by_vpc ON nacl(vpc_id);

-- What changed since the reconciler last loaded the whole state
-- (store/change.h): the rules of which groups, or anything else.  A pass
-- after a rule change alone edits those groups' set elements instead of
-- loading and compiling everything.  Kept by triggers (store/change.c
-- makes them, one per table), so that no writer can forget to say.
CREATE TABLE IF NOT EXISTS change_gen (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
);
INSERT OR IGNORE INTO change_gen VALUES (1, 0);
CREATE TABLE IF NOT EXISTS change_sg (
	seq   INTEGER PRIMARY KEY,
	sg_id TEXT NOT NULL
);
