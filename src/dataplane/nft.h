// SPDX-License-Identifier: MIT
/* nftables through libnftables (STYLE §6): a whole table is applied as one
 * buffer — "table … ; flush table …; table … { … }" — which the kernel takes
 * as one atomic batch, inside a given network namespace. */
#ifndef DATAPLANE_NFT_H
#define DATAPLANE_NFT_H
#include <stddef.h>

/* Runs the nft commands in text inside namespace netns (NULL: here).
 * Returns 0, or -EINVAL with libnftables' error output in err (may be NULL). */
int nft_run(const char *netns, const char *text, char *err, size_t err_size);
/* nft_run() keeps its context for the next change in the same namespace
 * (nft.c says why).  nft_prune() frees those whose namespace name is gone
 * or now names another namespace (a kept socket would keep the old one,
 * and its links, alive); nft_forget() frees netns's. */
void nft_prune(void);
void nft_forget(const char *netns);
/* `nft list table <family> <name>` inside netns into *ret (malloc'd;
 * free()); -ENOENT when the table does not exist. */
int nft_list_table(const char *netns, const char *family, const char *name, char **ret);

#endif
