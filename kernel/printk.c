// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format, timestamp and store kernel messages in a ring buffer, and
 * write them to every registered console.
 *
 * Each line gets a `[seconds.micros] ` prefix.  Messages at a level above
 * `loglevel=` (default 7: everything but debug) stay in the ring buffer
 * only.  A console registered late gets the whole buffer replayed, so
 * messages printed before the serial port was set up are not lost.  During
 * a panic the lock is ignored: the message matters more than tidiness.
 */
#include <lego/console.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/params.h>
#include <lego/spinlock.h>
#include <lego/stdarg.h>
#include <lego/time.h>

#define LOG_BUF_SIZE	(1 << 17)
#define LINE_MAX	1024

static char log_buf[LOG_BUF_SIZE];
static size_t log_head;		/* next write position */
static bool log_wrapped;
static bool line_open;		/* the last message did not end in '\n' */
static struct console *consoles;
static DEFINE_SPINLOCK(printk_lock);
int panic_in_progress;

static unsigned int console_loglevel = 7;
lego_param_uint("loglevel", console_loglevel,
		"console verbosity 0-8: messages of a higher level stay in the log buffer");

static void log_store(const char *s, size_t len)
{
	while (len) {
		size_t n = min(len, LOG_BUF_SIZE - log_head);

		memcpy(log_buf + log_head, s, n);
		log_head += n;
		if (log_head == LOG_BUF_SIZE) {
			log_head = 0;
			log_wrapped = true;
		}
		s += n;
		len -= n;
	}
}

static void consoles_write(const char *s, size_t len)
{
	struct console *con;

	for (con = consoles; con; con = con->next)
		con->write(con, s, len);
}

void register_console(struct console *con)
{
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	con->next = consoles;
	consoles = con;
	if (log_wrapped)
		con->write(con, log_buf + log_head, LOG_BUF_SIZE - log_head);
	con->write(con, log_buf, log_head);
	spin_unlock_irqrestore(&printk_lock, flags);
}

/* Split "\001N" level markers off the front of @fmt. */
static const char *printk_level(const char *fmt, int *level, bool *cont)
{
	*level = LOGLEVEL_DEFAULT;
	*cont = false;
	while (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			*level = fmt[1] - '0';
		else if (fmt[1] == 'c')
			*cont = true;
		fmt += 2;
	}
	return fmt;
}

static size_t printk_prefix(char *buf, size_t size)
{
	u64 ns = ktime_get_ns();

	return scnprintf(buf, size, "[%5llu.%06llu] ",
			 (unsigned long long)(ns / NSEC_PER_SEC),
			 (unsigned long long)(ns % NSEC_PER_SEC / 1000));
}

int vprintk(const char *fmt, va_list args)
{
	char line[LINE_MAX];
	unsigned long flags;
	size_t len = 0;
	int level, text_len;
	bool cont, locked;

	fmt = printk_level(fmt, &level, &cont);
	local_irq_save(flags);
	locked = !panic_in_progress;
	if (locked)
		arch_spin_lock(&printk_lock);

	if (!(cont && line_open)) {
		if (line_open)
			line[len++] = '\n';
		len += printk_prefix(line + len, sizeof(line) - len);
	}
	text_len = vscnprintf(line + len, sizeof(line) - len, fmt, args);
	len += text_len;
	line_open = len && line[len - 1] != '\n';

	log_store(line, len);
	if (level <= (int)console_loglevel)
		consoles_write(line, len);

	if (locked)
		arch_spin_unlock(&printk_lock);
	local_irq_restore(flags);
	return text_len;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = vprintk(fmt, args);
	va_end(args);
	return r;
}

bool __ratelimit(struct ratelimit_state *rs)
{
	u64 now = ktime_get_ns();
	int missed;

	if (!rs->begin || now - rs->begin > RATELIMIT_INTERVAL_NS) {
		missed = rs->missed;
		rs->begin = now ? now : 1;
		rs->printed = 0;
		rs->missed = 0;
		if (missed)
			printk(KERN_WARNING "%d messages suppressed by rate limiting\n",
			       missed);
	}
	if (rs->printed < RATELIMIT_BURST) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}
