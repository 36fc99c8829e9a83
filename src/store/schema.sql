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
	seq    INTEGER PRIMARY KEY,
	id     TEXT NOT NULL UNIQUE,
	vpc_id TEXT NOT NULL REFERENCES vpc(id)
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
