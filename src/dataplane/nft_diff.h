// SPDX-License-Identifier: MIT
/* From one version of a table's text to the next by set elements alone.
 * A security-group change, a launch or a termination changes elements of
 * the router's sets, not its chains; reloading the whole table for that
 * costs time in proportion to every element of every set (measured: 3 s
 * per AuthorizeSecurityGroupIngress at 300 instances), while changing
 * only the elements costs in proportion to the change.  Pure: text in,
 * text out.
 *
 * The texts are compile/'s output: a set or map is "\tset NAME {" … "\t}"
 * with at most one line "\t\telements = { E, E, … }". */
#ifndef DATAPLANE_NFT_DIFF_H
#define DATAPLANE_NFT_DIFF_H

/* The nft commands (for table "<family> <name>", e.g. "inet lv3f2a") that
 * turn the elements of old_text into those of new_text, one atomic batch
 * when run as one buffer; "" when nothing differs.  NULL when anything
 * but elements differs (chains, set types or flags, sets added or gone):
 * then the table must be reloaded.  malloc'd; free(). */
char *nft_diff(const char *table, const char *old_text, const char *new_text);

/* text (a whole table) with the element changes from old_part to new_part
 * (texts of some of its sets, as nft_diff takes them) made to its sets, so
 * that it stays the text of what the kernel holds after those changes were
 * run.  Elements added go at the end of their set.  NULL when the parts
 * differ in more than elements, or name a set text lacks, or an element
 * to delete is not in text.  malloc'd; free(). */
char *nft_text_edit(const char *text, const char *old_part, const char *new_part);

#endif
