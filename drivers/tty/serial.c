// SPDX-License-Identifier: GPL-2.0
/*
 * 16550 UART console, polled.
 *
 * The port is chosen with the early boot parameter `console=ttyS0..3` or
 * `console=0x2f8` (an I/O port); the default is COM1 (0x3f8), 115200 8N1.
 * A port that does not answer the scratch-register probe is not used, so a
 * machine without a UART still boots (silently).
 *
 * Tested with QEMU 7.2's isa-serial on `pc` and `q35`.
 */
#include <lego/console.h>
#include <lego/init.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <asm/io.h>
#include "serial_regs.h"

static const u16 com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
static u16 serial_port = 0x3f8;
static bool serial_ok;

static void serial_putc(char c)
{
	unsigned int spins = 100000;

	while (!(inb(serial_port + UART_LSR) & UART_LSR_THRE) && --spins)
		;
	outb((u8)c, serial_port + UART_TX);
}

static void serial_write(struct console *con, const char *buf, size_t len)
{
	size_t i;

	if (!serial_ok)
		return;
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS",
	.write = serial_write,
};

/* The scratch register holds what we write on a real 16550. */
static bool serial_probe(u16 port)
{
	outb(0x5a, port + UART_SCR);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(0xa5, port + UART_SCR);
	return inb(port + UART_SCR) == 0xa5;
}

static void serial_hw_init(u16 port)
{
	u16 div = UART_CLOCK_HZ / 16 / UART_BAUD;

	outb(0, port + UART_IER);
	outb(UART_LCR_DLAB, port + UART_LCR);
	outb(div & 0xff, port + UART_DLL);
	outb(div >> 8, port + UART_DLM);
	outb(UART_LCR_8N1, port + UART_LCR);
	outb(UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX,
	     port + UART_FCR);
	outb(UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2, port + UART_MCR);
}

static int console_param(const char *val)
{
	unsigned long port;

	if (!strncmp(val, "ttyS", 4) && val[4] >= '0' && val[4] <= '3' &&
	    !val[5]) {
		serial_port = com_ports[val[4] - '0'];
		return 0;
	}
	if (kstrtoul(val, 0, &port) || port == 0 || port > 0xfff8)
		return -EINVAL;
	serial_port = (u16)port;
	return 0;
}
lego_early_param_cb("console", console_param,
		    "serial console: ttyS0..ttyS3 or an I/O port (default ttyS0)");

void serial_early_init(void)
{
	serial_ok = serial_probe(serial_port);
	if (!serial_ok && serial_port != com_ports[0]) {
		serial_port = com_ports[0];
		serial_ok = serial_probe(serial_port);
	}
	if (!serial_ok)
		return;
	serial_hw_init(serial_port);
	register_console(&serial_console);
}

u16 serial_console_port(void)
{
	return serial_ok ? serial_port : 0;
}
