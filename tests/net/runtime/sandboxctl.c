// SPDX-License-Identifier: MIT
/* Test driver for runtime/sandbox.c without the daemon or the CLI: the net
 * tests in this directory compile it with the project's flags.
 *   sandboxctl start DIR NETNS HOSTNAME KEYFILE USERDATAFILE
 *   sandboxctl stop DIR | find DIR | remove DIR | exec DIR -- CMD [ARG…]
 * KEYFILE and USERDATAFILE may be "-" for none.  The image, init binary and
 * boot script come from $SANDBOX_IMAGE, $SANDBOX_INIT and $SANDBOX_BOOT. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/sandbox.h"

/* Reads a whole small file; returns a new NUL-terminated buffer (free()). */
static char *slurp(const char *path, size_t *ret_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || sb.st_size > 1 << 20) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)sb.st_size + 1);
	size_t got = 0;
	ssize_t n;
	while (buf && got < (size_t)sb.st_size &&
	       (n = read(fd, buf + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (!buf)
		return NULL;
	buf[got] = '\0';
	*ret_size = got;
	return buf;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

static int start(char **argv)
{
	size_t key_size = 0, ud_size = 0;
	char *key = strcmp(argv[3], "-") ? slurp(argv[3], &key_size) : NULL;
	char *ud = strcmp(argv[4], "-") ? slurp(argv[4], &ud_size) : NULL;
	if ((strcmp(argv[3], "-") && !key) || (strcmp(argv[4], "-") && !ud)) {
		fprintf(stderr, "sandboxctl: cannot read the key or user data file\n");
		free(key);
		free(ud);
		return 1;
	}
	struct sandbox_spec s = {
		.instance_id = "i-0123456789abcdef0",
		.netns = argv[1],
		.image_root = env_or("SANDBOX_IMAGE", "/var/cache/localvpc/images/debian-12/root"),
		.dir = argv[0],
		.hostname = argv[2],
		.init_path = env_or("SANDBOX_INIT", "build/localvpc-init"),
		.boot_path = env_or("SANDBOX_BOOT", "src/runtime/boot.sh"),
		.authorized_key = key,
		.user_data = ud,
		.user_data_size = ud_size,
	};
	pid_t pid;
	int r = sandbox_start(&s, &pid);
	free(key);
	free(ud);
	if (r < 0) {
		fprintf(stderr, "sandboxctl: start: %s\n", strerror(-r));
		return 1;
	}
	printf("%d\n", (int)pid);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 2 ? argv[1] : "";
	int r, status;
	pid_t pid;

	if (!strcmp(cmd, "start") && argc == 7)
		return start(argv + 2);
	if (!strcmp(cmd, "exec") && argc > 4 && !strcmp(argv[3], "--")) {
		if ((r = sandbox_exec(argv[2], argv + 4, &status)) < 0) {
			fprintf(stderr, "sandboxctl: exec: %s\n", strerror(-r));
			return 125;
		}
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	if (argc == 3 && !strcmp(cmd, "stop"))
		r = sandbox_stop(argv[2], 5000);
	else if (argc == 3 && !strcmp(cmd, "remove"))
		r = sandbox_remove(argv[2]);
	else if (argc == 3 && !strcmp(cmd, "find")) {
		if ((r = sandbox_find(argv[2], &pid)) == 0)
			printf("%d\n", (int)pid);
	} else {
		fprintf(stderr, "usage: sandboxctl start DIR NETNS HOSTNAME KEYFILE USERDATAFILE\n"
				"       sandboxctl stop|find|remove DIR\n"
				"       sandboxctl exec DIR -- CMD [ARG...]\n");
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "sandboxctl: %s: %s\n", cmd, strerror(-r));
		return 1;
	}
	return 0;
}
