/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the NIC drivers under drivers/net, grouped by the file that
 * defines each symbol.
 */
#ifndef _DRIVERS_NET_INTERNAL_H
#define _DRIVERS_NET_INTERNAL_H

#include <lego/irq.h>
#include <lego/ktest.h>
#include <lego/pci.h>
#include <net/netdev.h>

/*
 * The counters a driver owns (rx_dropped_nobuf, device-reported
 * rx_errors; the core counts the rest), bumped from poll() or from the
 * interrupt handler: atomically, as the two may run at once.
 */
#define NIC_STAT_ADD(dev, field, n) \
	__atomic_fetch_add(&(dev)->stats.field, (n), __ATOMIC_RELAXED)
#define NIC_STAT_INC(dev, field)	NIC_STAT_ADD(dev, field, 1)

/* ---- nic_intx.c -------------------------------------------------------- */

/*
 * Route @pdev's INTx# (the legacy line firmware left in its configuration
 * space) to @handler: level-triggered and active low per the PCI spec,
 * unless an ACPI interrupt source override says how that ISA line is
 * wired.  Returns the CPU vector and stores the GSI, or a negative errno
 * (-ENODEV: the function has no routed interrupt).
 */
int nic_request_intx(struct pci_dev *pdev, irq_handler_t handler, void *data,
		     const char *name, unsigned int *gsi);

/* ---- nic_test.c: what the per-driver ktest suites share ---------------- */

/* The first registered netdev driven by @driver, or NULL. */
struct netdev *nic_test_find(const char *driver);
/* ktest.nic_mac= matches dev->mac (skipped when the parameter is absent). */
void nic_test_mac(struct ktest *t, struct netdev *dev);
/* The device reports its link up (waits up to a few seconds). */
void nic_test_link(struct ktest *t, struct netdev *dev);
/*
 * Send one broadcast frame from our own MAC: the QEMU mcast hub loops it
 * back and the core must count it in rx_dropped_own.  Proves TX, RX and
 * the RX interrupt path with a single node.
 */
void nic_test_loopback(struct ktest *t, struct netdev *dev);
/*
 * The same with a frame of the whole MTU (skipped at 1500): the driver's
 * receive buffers and the device take jumbo frames.
 */
void nic_test_jumbo(struct ktest *t, struct netdev *dev);
/*
 * Twice a ring's worth of frames, at most a window of them in flight:
 * all sent, (nearly) all looped back; logs the round-trip frame rate.
 */
void nic_test_burst(struct ktest *t, struct netdev *dev);
/*
 * The same number of frames as fast as xmit() takes them: the TX ring
 * fills and wraps and every frame is sent; the hub may drop some of the
 * echoes (its socket overflows), so those are only logged.
 */
void nic_test_tx_flood(struct ktest *t, struct netdev *dev);
/*
 * The same loopback and burst from a busy-polling caller (RX interrupt
 * masked), then back to interrupt mode.
 */
void nic_test_poll_mode(struct ktest *t, struct netdev *dev);

#endif /* _DRIVERS_NET_INTERNAL_H */
