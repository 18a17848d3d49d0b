/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk: leveled, timestamped kernel messages into a ring buffer and out to
 * every registered console.  A message starts with a level marker
 * (KERN_ERR "..."); lines without one are logged at the default level.
 */
#ifndef _LEGO_PRINTK_H
#define _LEGO_PRINTK_H

#include <lego/compiler.h>
#include <lego/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_DEFAULT	6

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#include <lego/stdarg.h>

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list args);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/*
 * Rate limiting for messages caused by the outside world (packets, RPCs,
 * user programs): at most RATELIMIT_BURST messages per RATELIMIT_INTERVAL_NS
 * from one call site; the number suppressed is reported with the next one.
 */
#define RATELIMIT_INTERVAL_NS	(5ULL * 1000000000ULL)
#define RATELIMIT_BURST		10

struct ratelimit_state {
	u64 begin;
	int printed;
	int missed;
};

bool __ratelimit(struct ratelimit_state *rs);

#define printk_ratelimited(fmt, ...) ({					\
	static struct ratelimit_state __rs;				\
	if (__ratelimit(&__rs))						\
		printk(fmt, ##__VA_ARGS__);				\
})
#define pr_err_ratelimited(fmt, ...) \
	printk_ratelimited(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) \
	printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...) \
	printk_ratelimited(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

#endif /* _LEGO_PRINTK_H */
