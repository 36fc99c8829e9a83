// SPDX-License-Identifier: MIT
/* The API process and the privileged parent of `serve`; see serve_proc.h
 * and priv/drop.h. */
#include "cli/serve_proc.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/server.h"
#include "cli/executor.h"
#include "priv/drop.h"
#include "priv/wire.h"
#include "store/store.h"
#include "util/log.h"

#define RECONCILE_PERIOD_S 5 /* heal what was changed behind our back */
#define STOP_GRACE_MS 10000  /* the API process's time to finish on SIGTERM */

int serve_bind(const char *ip, unsigned port, int *ret_fd)
{
	int r;
	for (int i = 0; i < 40; i++) {
		r = api_server_bind(ip, port, ret_fd);
		if (r != -EADDRINUSE)
			return r;
		struct timespec ts = { .tv_nsec = 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return r;
}

int serve_api_proc(struct api_proc *a)
{
	struct priv_wire_client wc;
	struct priv_executor pex;
	struct api_server *srv = NULL;
	int r;

	if ((r = priv_drop_child_init(a->parent)) < 0)
		return 1;
	/* Opened while still root, and used first (SQLite opens -wal and -shm
	 * at the first read): the store's files stay root's, 0600, in the
	 * 0700 state dir, and this process keeps only their descriptors. */
	if (store_open(a->db_path, &a->ctx->st) < 0) {
		log_warnx("serve", "op=api_store_open path=%s", a->db_path);
		return 1;
	}
	if (a->drop) {
		r = priv_drop_to(a->uid, a->gid);
		if (r < 0) {
			log_warn("privsep", r, "op=drop msg=\"refusing to serve with privileges\"");
			return 1;
		}
		/* A change of uid clears the parent-death signal: set it again. */
		if (priv_drop_child_init(a->parent) < 0)
			return 1;
	} else {
		log_info("privsep", "uid=%u msg=\"not started as root: nothing to drop\"",
			 (unsigned)getuid());
	}
	r = priv_drop_syscalls();
	if (r < 0) {
		log_warn("privsep", r, "op=seccomp msg=\"refusing to serve unconfined\"");
		return 1;
	}
	priv_wire_client_init(&wc, a->chan, &pex);
	a->ctx->cfg.priv = &pex;
	/* Answer only once the parent's first reconcile is done. */
	if (priv_wire_wait_ready(a->chan) < 0)
		return 1;
	r = api_server_start(a->ctx, a->listen_fd, &srv);
	if (r < 0) {
		log_warn("serve", r, "op=listen listen=%s", a->ctx->listen_host);
		return 1;
	}
	/* SIGINT (a terminal's ^C reaches both processes) is the parent's to
	 * act on; this process stops when the parent says so. */
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	int sig;
	while (sigwait(&term, &sig) != 0)
		;
	api_server_stop(srv);
	store_close(a->ctx->st);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's status, reaped: 0 for a clean exit, 1 for anything else. */
static int reap(pid_t child, bool block, bool *gone)
{
	int st;
	pid_t r;
	do
		r = waitpid(child, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != child)
		return 0;
	*gone = true;
	if (WIFEXITED(st)) {
		log_info("serve", "op=api_process pid=%d exit=%d", (int)child, WEXITSTATUS(st));
		return WEXITSTATUS(st) ? 1 : 0;
	}
	log_info("serve", "op=api_process pid=%d signal=%d", (int)child,
		 WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 1;
}

int serve_priv_proc(const struct priv_proc *p)
{
	struct executor *ex = NULL;
	struct priv_executor pex = { 0 };
	bool gone = false, stopping = false;
	int rc = 1;

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGCHLD);
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		log_warn("serve", -errno, "op=signalfd");
		goto out;
	}
	if (p->es) {
		if (executor_new(p->es, &ex, &pex) < 0) {
			log_warnx("serve", "msg=\"cannot start the data plane\"");
			goto out;
		}
		/* Adopt what exists and build what is missing before answering. */
		(void)executor_reconcile(ex, true);
	}
	if (priv_wire_send_ready(p->chan) < 0)
		goto out;
	log_info("serve", "listen=%s state_dir=%s region=%s prefix=%s dataplane=%s api_pid=%d",
		 p->listen_host, p->state_dir, p->region, p->prefix, ex ? "on" : "off",
		 (int)p->child);
	long long next = now_ms() + RECONCILE_PERIOD_S * 1000, stop_by = 0;
	while (!gone) {
		struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN },
					 { .fd = p->chan, .events = POLLIN } };
		long long until = stopping ? stop_by : next, wait = until - now_ms();
		int n = poll(pfd, 2, wait < 0 ? 0 : (int)wait);
		if (n < 0 && errno != EINTR) {
			log_warn("serve", -errno, "op=poll");
			break;
		}
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD || stopping)
					continue;
				log_info("serve", "signal=%u msg=\"stopping\"", si.ssi_signo);
				stopping = true;
				stop_by = now_ms() + STOP_GRACE_MS;
				(void)kill(p->child, SIGTERM);
			}
			rc = reap(p->child, false, &gone);
			if (gone)
				break;
		}
		if (n > 0 && pfd[1].revents) {
			/* Requests are served even while stopping: the child
			 * finishes the calls it has begun. */
			if (!(pfd[1].revents & POLLIN) ||
			    priv_wire_serve_one(p->chan, ex ? &pex : NULL) < 0) {
				rc = reap(p->child, true, &gone); /* it closed: it is exiting */
				break;
			}
		}
		if (stopping && now_ms() >= stop_by) {
			log_warnx("serve", "op=api_process pid=%d msg=\"no exit on SIGTERM: killed\"",
				  (int)p->child);
			(void)kill(p->child, SIGKILL);
			rc = reap(p->child, true, &gone);
			rc = 1;
		} else if (!stopping && now_ms() >= next) {
			if (ex)
				(void)executor_reconcile(ex, true); /* failures are logged and retried */
			next = now_ms() + RECONCILE_PERIOD_S * 1000;
		}
	}
	if (!stopping) {
		/* Fail closed: without its API process the daemon is not serving. */
		log_warnx("serve", "op=api_process pid=%d msg=\"the API process ended on its own;"
				   " stopping\"", (int)p->child);
		rc = 1;
	}
out:
	if (!gone) {
		(void)kill(p->child, SIGKILL);
		(void)reap(p->child, true, &gone);
	}
	executor_free(ex);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
