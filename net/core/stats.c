// SPDX-License-Identifier: GPL-2.0
/* The stack's protocol counters (include/net/stats.h). */
#define pr_fmt(fmt) "net: " fmt

#include <lego/kernel.h>
#include <net/stats.h>

struct net_stats net_stats;

static const struct {
	const char *name;
	size_t offset;
} net_stat_fields[] = {
#define NET_STAT_NAME(f) { #f, __builtin_offsetof(struct net_stats, f) },
	NET_STATS_LIST(NET_STAT_NAME)
#undef NET_STAT_NAME
};

void net_print_stats(void)
{
	char line[160];
	size_t len = 0, i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(net_stat_fields); i++) {
		v = *(const u64 *)((const u8 *)&net_stats +
				   net_stat_fields[i].offset);
		if (!v)
			continue;
		if (len > sizeof(line) - 40) {
			pr_info("%s\n", line);
			len = 0;
		}
		len += scnprintf(line + len, sizeof(line) - len, "%s%s %lu",
				 len ? ", " : "", net_stat_fields[i].name, v);
	}
	if (len)
		pr_info("%s\n", line);
}
