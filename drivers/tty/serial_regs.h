/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 16550 UART registers (offsets from the base I/O port).
 * National Semiconductor PC16550D datasheet, Table II "Register Summary".
 */
#ifndef _DRIVERS_TTY_SERIAL_REGS_H
#define _DRIVERS_TTY_SERIAL_REGS_H

#define UART_RX		0	/* receive buffer (DLAB=0, read) */
#define UART_TX		0	/* transmit holding (DLAB=0, write) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control (write) */
#define  UART_FCR_ENABLE	0x01
#define  UART_FCR_CLEAR_RX	0x02
#define  UART_FCR_CLEAR_TX	0x04
#define UART_LCR	3	/* line control */
#define  UART_LCR_8N1		0x03
#define  UART_LCR_DLAB		0x80
#define UART_MCR	4	/* modem control */
#define  UART_MCR_DTR		0x01
#define  UART_MCR_RTS		0x02
#define  UART_MCR_OUT2		0x08
#define UART_LSR	5	/* line status */
#define  UART_LSR_DR		0x01	/* data ready */
#define  UART_LSR_THRE		0x20	/* transmit holding register empty */
#define UART_SCR	7	/* scratch */

#define UART_CLOCK_HZ	1843200
#define UART_BAUD	115200

#endif /* _DRIVERS_TTY_SERIAL_REGS_H */
