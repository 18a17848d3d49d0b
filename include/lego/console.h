/* SPDX-License-Identifier: GPL-2.0 */
/* Consoles: where printk output goes (the 16550 serial port for now). */
#ifndef _LEGO_CONSOLE_H
#define _LEGO_CONSOLE_H

#include <lego/types.h>

struct console {
	const char *name;
	/* required: write @len bytes, translating '\n' as the device needs */
	void (*write)(struct console *con, const char *buf, size_t len);
	struct console *next;
};

void register_console(struct console *con);

/* drivers/tty/serial.c: probe the chosen port and register it. */
void serial_early_init(void);
/* The serial console's I/O port, or 0 when there is none. */
u16 serial_console_port(void);

#endif /* _LEGO_CONSOLE_H */
