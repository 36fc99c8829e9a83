// SPDX-License-Identifier: MIT
/* EC2 Instance Connect (service ec2-instance-connect, API 2018-04-02) over
 * AWS's JSON 1.1 protocol: POST / with X-Amz-Target
 * AWSEC2InstanceConnectService.<Operation> and a JSON body, SigV4 scoped to
 * "ec2-instance-connect".  The same daemon serves it beside the EC2 Query
 * API; dispatch.c hands over every request that carries X-Amz-Target. */
#ifndef API_INSTANCE_CONNECT_H
#define API_INSTANCE_CONNECT_H
#include <stdbool.h>
#include <time.h>

struct api_ctx;
struct api_http_req;
struct api_response;

/* Is this a JSON-protocol request (it names an X-Amz-Target)? */
bool api_instance_connect_wants(const struct api_http_req *req);

/* Handles one JSON request completely, like api_handle(): SendSSHPublicKey
 * stores the key for its user on the instance for cfg.instance_connect_ttl_s
 * (AWS: 60 s), the metadata service serves it to that instance alone.
 * Every problem becomes the JSON protocol's error answer
 * ({"__type": …, "Message": …}); never fails. */
void api_instance_connect_handle(struct api_ctx *ctx, const struct api_http_req *req,
				 struct api_response *resp, time_t now);

#endif
