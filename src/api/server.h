// SPDX-License-Identifier: MIT
/* The HTTP/1.1 listener (libmicrohttpd): collects a request's method, raw
 * URI, headers and a body of at most API_BODY_MAX bytes, hands them to
 * api_handle() and sends the answer in one write.  One thread serves all
 * requests in turn, so the store is only ever used from that thread. */
#ifndef API_SERVER_H
#define API_SERVER_H

struct api_ctx;
struct api_server;

/* Starts listening on ip:port (IPv4 or IPv6 literal).  Returns 0 and a new
 * server in *ret; stop and free with api_server_stop(). */
int api_server_start(struct api_ctx *ctx, const char *ip, unsigned port, struct api_server **ret);
void api_server_stop(struct api_server *s);

#endif
