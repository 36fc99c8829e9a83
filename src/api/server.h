// SPDX-License-Identifier: MIT
/* The HTTP/1.1 listener (libmicrohttpd): collects a request's method, raw
 * URI, headers and a body of at most API_BODY_MAX bytes, hands them to
 * api_handle() and sends the answer in one write.  One thread serves all
 * requests in turn, so the store is only ever used from that thread. */
#ifndef API_SERVER_H
#define API_SERVER_H

struct api_ctx;
struct api_server;

/* Binds a TCP socket to ip:port (IPv4 or IPv6 literal) without listening:
 * the privileged parent claims the port (any port, and a clash is seen
 * before anything starts); connections are refused until the API process
 * starts.  Returns 0 and the socket in *ret_fd, or -errno. */
int api_server_bind(const char *ip, unsigned port, int *ret_fd);
/* Listens on fd (from api_server_bind) and serves it; the server owns fd.
 * Returns 0 and a new server in *ret; stop and free with api_server_stop(). */
int api_server_start(struct api_ctx *ctx, int fd, struct api_server **ret);
void api_server_stop(struct api_server *s);

#endif
