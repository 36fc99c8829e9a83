# SPDX-License-Identifier: MIT
# The seed's topology for the trust tests, through the aws CLI (source after
# tests/lib/netns.sh and daemon.sh, with a daemon started): a VPC with a
# public and a private subnet, an internet gateway, a NAT gateway with an
# Elastic IP, the Bastion Security Group (SSH from My IP, 192.0.2.1) and
# the Internal Instance group (SSH from the bastion's group), a bastion in
# the public subnet and an internal instance in the private one, both with
# the key in $work/key.  Sets vpc pub priv igw nat pubrt privrt bsg isg
# bastion internal b_pub b_ip i_ip.  The file name does not end in .sh: tests/run-net runs
# every *.sh.
# shellcheck shell=bash

seed_topology() { # SECOND-OCTET
	local o=$1 ami=ami-0de12b0000c0ffee1 alloc eip
	vpc=$(ec2 create-vpc --cidr-block "10.$o.0.0/16" --query Vpc.VpcId)
	pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block "10.$o.0.0/24" --query Subnet.SubnetId)
	priv=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block "10.$o.1.0/24" --query Subnet.SubnetId)
	ec2 modify-subnet-attribute --subnet-id "$pub" --map-public-ip-on-launch
	igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
	ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
	pubrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
	ec2 create-route --route-table-id "$pubrt" --destination-cidr-block 0.0.0.0/0 \
		--gateway-id "$igw" >/dev/null
	ec2 associate-route-table --route-table-id "$pubrt" --subnet-id "$pub" >/dev/null
	read -r alloc eip < <(ec2 allocate-address --domain vpc --query '[AllocationId,PublicIp]')
	in_pool "$eip" || fail "Elastic IP $eip is not in the emulated pool"
	nat=$(ec2 create-nat-gateway --subnet-id "$pub" --allocation-id "$alloc" \
		--query NatGateway.NatGatewayId)
	privrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
	ec2 create-route --route-table-id "$privrt" --destination-cidr-block 0.0.0.0/0 \
		--nat-gateway-id "$nat" >/dev/null
	ec2 associate-route-table --route-table-id "$privrt" --subnet-id "$priv" >/dev/null

	bsg=$(ec2 create-security-group --vpc-id "$vpc" --group-name "Bastion Security Group" \
		--description "SSH from my IP" --query GroupId)
	ec2 authorize-security-group-ingress --group-id "$bsg" --protocol tcp --port 22 \
		--cidr 192.0.2.1/32 >/dev/null
	isg=$(ec2 create-security-group --vpc-id "$vpc" --group-name "Internal Instance" \
		--description "SSH from the bastion" --query GroupId)
	ec2 authorize-security-group-ingress --group-id "$isg" --protocol tcp --port 22 \
		--source-group "$bsg" >/dev/null

	ec2 create-key-pair --key-name BastionKeyPair --query KeyMaterial >"$work/key"
	chmod 600 "$work/key"
	bastion=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$pub" \
		--key-name BastionKeyPair --security-group-ids "$bsg" --query 'Instances[0].InstanceId')
	internal=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$priv" \
		--key-name BastionKeyPair --security-group-ids "$isg" --query 'Instances[0].InstanceId')
	b_pub=$(seed_q "$bastion" PublicIpAddress)
	b_ip=$(seed_q "$bastion" PrivateIpAddress)
	i_ip=$(seed_q "$internal" PrivateIpAddress)
	in_pool "$b_pub" || fail "public IP $b_pub is not in the emulated pool"
	sshd_wait "$bastion" "$internal"
}

seed_q() { # INSTANCE FIELD
	ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"
}
