// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol lookup in the table that scripts/kallsyms.py embeds in the image;
 * used by %pS (lego_symbolize) and therefore by every backtrace.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/kallsyms.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_name_offs[];
extern const char kallsyms_names[];
extern char _text[], _etext[];

/* Index of the last symbol at or below @addr, or -1. */
static long kallsyms_find(unsigned long addr)
{
	long lo = 0, hi = (long)kallsyms_num - 1, found = -1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;

		if (kallsyms_addrs[mid] <= addr) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

int lego_symbolize(unsigned long addr, char *buf, size_t len)
{
	unsigned long end;
	long i;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext)
		return -ENOENT;
	i = kallsyms_find(addr);
	if (i < 0)
		return -ENOENT;
	end = (u64)i + 1 < kallsyms_num ? kallsyms_addrs[i + 1] :
					  (unsigned long)_etext;
	scnprintf(buf, len, "%s+0x%lx/0x%lx", kallsyms_names + kallsyms_name_offs[i],
		  addr - (unsigned long)kallsyms_addrs[i],
		  end - (unsigned long)kallsyms_addrs[i]);
	return 0;
}

/* Address of symbol @name, or 0. */
unsigned long kallsyms_lookup_name(const char *name)
{
	u64 i;

	for (i = 0; i < kallsyms_num; i++)
		if (!strcmp(kallsyms_names + kallsyms_name_offs[i], name))
			return kallsyms_addrs[i];
	return 0;
}
