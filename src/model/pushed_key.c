// SPDX-License-Identifier: MIT
/* EC2 Instance Connect's rules for users and keys; see pushed_key.h. */
#include "model/pushed_key.h"

#include <errno.h>
#include <string.h>

#include "util/ssh_key.h"

static bool is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool is_word(char ch)
{
	return is_alnum(ch) || ch == '_';
}

bool pushed_key_user_valid(const char *user)
{
	size_t n = user ? strlen(user) : 0;
	if (n < 1 || n > PUSHED_KEY_USER_MAX)
		return false;
	if (!(is_word(user[0]) && !(user[0] >= '0' && user[0] <= '9')))
		return false;
	/* [A-Za-z0-9@._-]{0,30} then an optional [A-Za-z0-9$_-]: '$' only
	 * last (a Samba machine account), and at 32 characters the last one
	 * must come from the second class. */
	for (size_t i = 1; i < n; i++) {
		char ch = user[i];
		bool mid = is_word(ch) || ch == '@' || ch == '.' || ch == '-';
		bool last = is_word(ch) || ch == '$' || ch == '-';
		bool ok = i < n - 1 ? mid : n == PUSHED_KEY_USER_MAX ? last : mid || last;
		if (!ok)
			return false;
	}
	return true;
}

bool pushed_key_az_valid(const char *az)
{
	size_t n = az ? strlen(az) : 0;
	if (n < 6 || n > 32)
		return false;
	/* (\w+-){2,3} then \d+\w+: two or three dash-ended words, then a
	 * digit-led word of at least two characters ("1a"). */
	size_t i = 0, groups = 0;
	for (;;) {
		size_t w = i;
		while (i < n && is_word(az[i]))
			i++;
		if (i == w)
			return false;
		if (i == n)
			break;
		if (az[i] != '-')
			return false;
		groups++;
		i++;
		if (groups > 3)
			return false;
	}
	if (groups < 2)
		return false;
	const char *last = strrchr(az, '-') + 1;
	return last[0] >= '0' && last[0] <= '9' && strlen(last) >= 2;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

int pushed_key_check(const char *key, size_t *ret_start, size_t *ret_len)
{
	static const char *const ecdsa[] = { "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
					     "ecdsa-sha2-nistp521" };
	size_t n = key ? strlen(key) : 0;
	if (n < PUSHED_KEY_MIN_LEN || n > PUSHED_KEY_MAX_LEN)
		return -EINVAL;
	size_t s = 0, e = n;
	while (s < e && is_blank(key[s]))
		s++;
	while (e > s && is_blank(key[e - 1]))
		e--;
	for (size_t i = s; i < e; i++)
		if (key[i] == '\n' || key[i] == '\r')
			return -EINVAL; /* one line: a second key is not one key */
	size_t tn = strcspn(key + s, " \t");
	bool is_ecdsa = false;
	for (size_t i = 0; i < 3; i++)
		is_ecdsa |= tn == strlen(ecdsa[i]) && !strncmp(key + s, ecdsa[i], tn);
	bool known = (tn == 7 && !strncmp(key + s, "ssh-rsa", 7)) ||
		     (tn == 11 && !strncmp(key + s, "ssh-ed25519", 11)) || is_ecdsa;
	if (!known)
		return -EINVAL; /* DSA, sk-*, options before the key, other forms */
	struct ssh_key *k = NULL;
	enum ssh_key_format fmt;
	int r = ssh_key_parse_public(key + s, e - s, &k, &fmt);
	ssh_key_free(k);
	/* util parses RSA and ED25519; for ECDSA it checks the base64 blob
	 * names the announced type and reports the algorithm unsupported. */
	if (r == -EOPNOTSUPP && is_ecdsa)
		r = 0;
	else if (r == 0 && fmt != SSH_KEY_FMT_OPENSSH)
		r = -EINVAL;
	if (r < 0)
		return -EINVAL;
	*ret_start = s;
	*ret_len = e - s;
	return 0;
}

bool pushed_key_active(const struct pushed_key *k, int64_t now)
{
	return now < k->expires_at;
}
